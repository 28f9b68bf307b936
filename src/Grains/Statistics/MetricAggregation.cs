namespace ModelPerformance.Grains.Statistics;

/// <summary>Combines recorded evaluations into one set of metrics (SEMANTICS "Monitors and samples").</summary>
public static class MetricAggregation
{
    /// <summary>
    /// Weighted mean of each metric over the evaluations that have it, weights being sample counts;
    /// RMSE is averaged by its squares, sqrt(Σ w·rmse² / Σ w), so that it stays the root of a mean
    /// squared error. The caller passes the last windowSize evaluations. Non-positive weights count nowhere.
    /// </summary>
    public static MetricValues Weighted(IReadOnlyList<(MetricValues Metrics, int Weight)> evaluations)
    {
        var result = default(MetricValues);
        foreach (var kind in MetricValues.AllKinds)
        {
            double sum = 0, weights = 0;
            foreach (var (metrics, weight) in evaluations)
            {
                if (weight <= 0 || metrics.Get(kind) is not { } value)
                {
                    continue;
                }

                sum += weight * (kind == MetricKind.Rmse ? value * value : value);
                weights += weight;
            }

            if (weights > 0)
            {
                var mean = sum / weights;
                result = result.With(kind, kind == MetricKind.Rmse ? Math.Sqrt(mean) : mean);
            }
        }

        return result;
    }
}
