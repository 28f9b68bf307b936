using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Training;

/// <summary>The training jobs of a lone silo without a database: the same behaviour as PostgreSQL, kept in memory.</summary>
public sealed class InMemoryTrainingJobStore : ITrainingJobStore
{
    private readonly ConcurrentDictionary<Guid, TrainingJob> jobs = new();

    public Task SaveAsync(TrainingJob job, CancellationToken cancellationToken = default)
    {
        jobs[job.Id] = job;
        return Task.CompletedTask;
    }

    public Task<TrainingJob?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(jobs.GetValueOrDefault(id));

    public Task<IReadOnlyList<TrainingJob>> QueryAsync(TrainingJobFilter filter, int first, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TrainingJob> result = jobs.Values
            .Where(j => Matches(filter, j))
            .OrderByDescending(j => j.CreatedAt)
            // PostgreSQL orders uuids by their bytes, which is the ordinal order of their lower-case text.
            .ThenByDescending(j => j.Id.ToString(), StringComparer.Ordinal)
            .Take(first)
            .ToList();
        return Task.FromResult(result);
    }

    private static bool Matches(TrainingJobFilter filter, TrainingJob job) =>
        (filter.ModelId is null || job.ModelId == filter.ModelId)
        && (filter.MachineId is null || job.MachineId == filter.MachineId)
        && (filter.Status is null || job.Status == filter.Status);
}
