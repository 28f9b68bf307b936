using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Training;

/// <summary>Which jobs the <c>trainingJobs</c> query returns; null fields do not filter.</summary>
public sealed record TrainingJobFilter(string? ModelId = null, string? MachineId = null, TrainingStatus? Status = null);

/// <summary>
/// Training jobs as stored in <c>model_training_history</c> (memory in a lone silo): one row per job, written at
/// each of its changes. Job grains own the lifecycle; queries read here.
/// </summary>
public interface ITrainingJobStore
{
    /// <summary>Inserts or replaces the job with this id.</summary>
    Task SaveAsync(TrainingJob job, CancellationToken cancellationToken = default);

    Task<TrainingJob?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Matching jobs, newest created first (ties by id descending).</summary>
    Task<IReadOnlyList<TrainingJob>> QueryAsync(TrainingJobFilter filter, int first, CancellationToken cancellationToken = default);
}
