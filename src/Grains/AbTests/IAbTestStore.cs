using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.AbTests;

/// <summary>Which tests the <c>abTests</c> query returns; null fields do not filter.</summary>
public sealed record AbTestFilter(AbTestStatus? Status = null, string? ModelId = null, string? MachineId = null);

/// <summary>
/// A/B tests as stored in <c>model_ab_tests</c> (memory in a lone silo): one row per test, written when it starts and
/// ends and about once a second while its results change. Test grains own the lifecycle; listings read here.
/// </summary>
public interface IAbTestStore
{
    /// <summary>Inserts or replaces the test with this id.</summary>
    Task SaveAsync(AbTest test, CancellationToken cancellationToken = default);

    /// <summary>Matching tests, newest started first (ties by id descending).</summary>
    Task<IReadOnlyList<AbTest>> QueryAsync(AbTestFilter filter, int first, CancellationToken cancellationToken = default);
}
