using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Which monitors a <c>monitors</c> query lists; null fields do not filter. <paramref name="Search"/> matches a part
/// of the modelId or machineId, ignoring case; <paramref name="MachineIds"/> keeps the monitors on those machines.
/// </summary>
public sealed record MonitorFilter(
    string? ModelType = null,
    string? MachineId = null,
    HealthStatus? Health = null,
    string? ModelId = null,
    string? Search = null,
    IReadOnlyList<string>? MachineIds = null);

/// <summary>One page of monitors in the requested order; the cursor is opaque to clients.</summary>
public sealed record MonitorPage(IReadOnlyList<MonitorListing> Monitors, bool HasNextPage, string? EndCursor, int TotalCount);

/// <summary>Monitors counted by the registry's health.</summary>
public sealed record HealthCounts(int Ok, int Warning, int Critical, int Unknown)
{
    public int Total => Ok + Warning + Critical + Unknown;

    /// <summary>From counts by health; a health that is absent counts 0.</summary>
    public static HealthCounts From(IReadOnlyDictionary<HealthStatus, int> counts) =>
        new(counts.GetValueOrDefault(HealthStatus.Ok), counts.GetValueOrDefault(HealthStatus.Warning),
            counts.GetValueOrDefault(HealthStatus.Critical), counts.GetValueOrDefault(HealthStatus.Unknown));
}

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

    /// <summary>A page of monitors from the registry after the cursor <paramref name="after"/> (null: from the start).</summary>
    Task<MonitorPage> ListMonitorsAsync(MonitorFilter filter, MonitorOrder order, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>The registry's monitors under the filter, counted by health.</summary>
    Task<HealthCounts> CountByHealthAsync(MonitorFilter filter, CancellationToken cancellationToken = default);
}
