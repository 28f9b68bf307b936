using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>
/// A monitor as the registry knows it, with its latest evaluation: enough for a fleet view, read without waking the
/// monitor's grain.
/// </summary>
public sealed record MonitorListing(MonitorKey Key, string ModelType, ModelTask? Task, string? ActiveVersion, HealthStatus Health, Evaluation? Latest);

/// <summary>How a monitors page is ordered.</summary>
public enum MonitorOrder
{
    /// <summary>By modelId, then machineId (ordinal).</summary>
    Id,

    /// <summary>CRITICAL first, then WARNING, UNKNOWN and OK; by id within each.</summary>
    WorstFirst,
}

public static class HealthRank
{
    /// <summary>0 for the worst health: CRITICAL, WARNING, UNKNOWN, OK.</summary>
    public static int Of(HealthStatus health) => health switch
    {
        HealthStatus.Critical => 0,
        HealthStatus.Warning => 1,
        HealthStatus.Unknown => 2,
        _ => 3,
    };

    /// <summary>The same rank in SQL, over a column of health names.</summary>
    public const string Sql = "CASE health WHEN 'CRITICAL' THEN 0 WHEN 'WARNING' THEN 1 WHEN 'UNKNOWN' THEN 2 ELSE 3 END";
}
