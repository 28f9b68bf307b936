using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>Which monitors a <c>monitors</c> query lists.</summary>
public sealed record MonitorFilter(string? ModelType, string? MachineId, HealthStatus? Health);

/// <summary>One page of monitor keys, ordered by (modelId, machineId); the cursor is opaque to clients.</summary>
public sealed record MonitorPage(IReadOnlyList<MonitorKey> Keys, bool HasNextPage, string? EndCursor, int TotalCount);

/// <summary>
/// The history the service keeps outside grains: evaluations, and the registry of monitors. PostgreSQL in a
/// cluster, memory in a lone silo; the queries mean the same in both.
/// </summary>
public interface IMonitorHistory
{
    /// <summary>Evaluations of one monitor with <c>from &lt;= evaluatedAt &lt; to</c>, newest first.</summary>
    Task<IReadOnlyList<Evaluation>> GetEvaluationsAsync(MonitorKey key, DateTime? from, DateTime? to, int first, CancellationToken cancellationToken = default);

    /// <summary>
    /// Evaluations that count for the champion <paramref name="version"/> (of that version or of none) with
    /// <c>evaluatedAt &gt;= from</c>, the newest <paramref name="first"/>, newest first.
    /// </summary>
    Task<IReadOnlyList<Evaluation>> GetChampionEvaluationsAsync(MonitorKey key, string? version, DateTime from, int first, CancellationToken cancellationToken = default);

    /// <summary>UTC buckets of one metric over evaluations that have it, oldest first.</summary>
    Task<IReadOnlyList<TrendPoint>> GetTrendAsync(MonitorKey key, Metric metric, DateTime? from, DateTime? to, Bucket bucket, CancellationToken cancellationToken = default);

    /// <summary>A page of monitors after the cursor <paramref name="after"/> (null: from the start).</summary>
    Task<MonitorPage> ListMonitorsAsync(MonitorFilter filter, int first, string? after, CancellationToken cancellationToken = default);
}
