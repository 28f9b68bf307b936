namespace ModelPerformance.Grains.Interfaces;

/// <summary>Quality metrics; a metric that does not apply or cannot be computed is null. MAPE is a percentage.</summary>
[GenerateSerializer, Immutable, Alias("MetricSet")]
public sealed record MetricSet(
    [property: Id(0)] double? RSquared = null,
    [property: Id(1)] double? Rmse = null,
    [property: Id(2)] double? Mae = null,
    [property: Id(3)] double? Mape = null,
    [property: Id(4)] double? Accuracy = null,
    [property: Id(5)] double? Precision = null,
    [property: Id(6)] double? Recall = null,
    [property: Id(7)] double? F1 = null)
{
    public static MetricSet Empty { get; } = new();

    public double? Get(Metric metric) => metric switch
    {
        Metric.RSquared => RSquared,
        Metric.Rmse => Rmse,
        Metric.Mae => Mae,
        Metric.Mape => Mape,
        Metric.Accuracy => Accuracy,
        Metric.Precision => Precision,
        Metric.Recall => Recall,
        Metric.F1 => F1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>The task these metrics imply, or null when they mix regression and classification metrics or are empty.</summary>
    public ModelTask? ImpliedTask()
    {
        var regression = RSquared.HasValue || Rmse.HasValue || Mae.HasValue || Mape.HasValue;
        var classification = Accuracy.HasValue || Precision.HasValue || Recall.HasValue || F1.HasValue;
        return (regression, classification) switch
        {
            (true, false) => ModelTask.Regression,
            (false, true) => ModelTask.Classification,
            _ => null,
        };
    }
}
