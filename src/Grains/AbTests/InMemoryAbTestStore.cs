using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.AbTests;

/// <summary>The A/B tests of a lone silo without a database: the same behaviour as PostgreSQL, kept in memory.</summary>
public sealed class InMemoryAbTestStore : IAbTestStore
{
    private readonly ConcurrentDictionary<Guid, AbTest> tests = new();

    public Task SaveAsync(AbTest test, CancellationToken cancellationToken = default)
    {
        tests[test.Id] = test;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AbTest>> QueryAsync(AbTestFilter filter, int first, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AbTest> result = tests.Values
            .Where(t => (filter.Status is null || t.Status == filter.Status)
                && (filter.ModelId is null || t.ModelId == filter.ModelId)
                && (filter.MachineId is null || t.MachineId == filter.MachineId))
            .OrderByDescending(t => t.StartedAt)
            // PostgreSQL orders uuids by their bytes, which is the ordinal order of their lower-case text.
            .ThenByDescending(t => t.Id.ToString(), StringComparer.Ordinal)
            .Take(first)
            .ToList();
        return Task.FromResult(result);
    }
}
