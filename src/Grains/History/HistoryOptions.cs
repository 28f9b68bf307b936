namespace ModelPerformance.Grains.History;

/// <summary>How long the history tables keep their rows (a cluster member's PostgreSQL; a lone silo keeps its memory).</summary>
public sealed class HistoryOptions
{
    public const string Section = "History";

    /// <summary>Days of evaluations kept in <c>model_performance_metrics</c>; 0 keeps them all. Trends over older hours still read their hourly sums.</summary>
    public int MetricsRetentionDays { get; set; }

    /// <summary>Days of drift checks kept in <c>model_drift_checks</c>; 0 keeps them all.</summary>
    public int DriftCheckRetentionDays { get; set; } = 30;

    /// <summary>How often each silo creates the coming month's partitions and drops the expired ones.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Problems()
    {
        if (MetricsRetentionDays < 0)
        {
            yield return $"{nameof(MetricsRetentionDays)} must be 0 (keep everything) or a number of days, not {MetricsRetentionDays}";
        }
        if (DriftCheckRetentionDays < 0)
        {
            yield return $"{nameof(DriftCheckRetentionDays)} must be 0 (keep everything) or a number of days, not {DriftCheckRetentionDays}";
        }
        if (MaintenanceInterval < TimeSpan.FromSeconds(1) || MaintenanceInterval > TimeSpan.FromDays(1))
        {
            yield return $"{nameof(MaintenanceInterval)} must be from 1 second to 1 day, not {MaintenanceInterval}";
        }
    }
}
