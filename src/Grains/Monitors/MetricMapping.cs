using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.Monitors;

/// <summary>Between the statistics' plain values and the contract's records.</summary>
internal static class MetricMapping
{
    public static MetricSet ToMetricSet(this MetricValues v) =>
        new(v.RSquared, v.Rmse, v.Mae, v.Mape, v.Accuracy, v.Precision, v.Recall, v.F1);

    public static MetricValues ToValues(this MetricSet m) =>
        new(m.RSquared, m.Rmse, m.Mae, m.Mape, m.Accuracy, m.Precision, m.Recall, m.F1);

    public static Metric ToMetric(this MetricKind kind) => (Metric)(int)kind;

    public static HealthStatus ToStatus(this HealthLevel level) => level switch
    {
        HealthLevel.Ok => HealthStatus.Ok,
        HealthLevel.Warning => HealthStatus.Warning,
        HealthLevel.Critical => HealthStatus.Critical,
        _ => HealthStatus.Unknown,
    };
}
