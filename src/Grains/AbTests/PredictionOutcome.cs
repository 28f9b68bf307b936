using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.AbTests;

/// <summary>A prediction sample's outcome of a test's primary metric (SEMANTICS.md, A/B outcomes from predictions).</summary>
public static class PredictionOutcome
{
    /// <summary>Below this |actual|, MAPE has no outcome: the percentage would be unbounded.</summary>
    public const double MapeActualFloor = 1e-9;

    /// <summary>The outcome, or null when the sample has none for this metric (no actual, or a metric predictions cannot give).</summary>
    public static double? Of(Metric metric, PredictionSample sample) => (metric, sample) switch
    {
        (Metric.Mae, { Predicted: { } p, Actual: { } a }) => Math.Abs(a - p),
        (Metric.Rmse, { Predicted: { } p, Actual: { } a }) => (a - p) * (a - p),
        (Metric.Mape, { Predicted: { } p, Actual: { } a }) when Math.Abs(a) > MapeActualFloor => 100 * Math.Abs(a - p) / Math.Abs(a),
        (Metric.Accuracy, { PredictedLabel: { } pl, ActualLabel: { } al }) => pl == al ? 1 : 0,
        _ => null,
    };

    /// <summary>Whether predictions give outcomes of this metric at all.</summary>
    public static bool FromPredictions(Metric metric) => metric is Metric.Mae or Metric.Rmse or Metric.Mape or Metric.Accuracy;
}
