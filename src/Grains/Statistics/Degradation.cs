namespace ModelPerformance.Grains.Statistics;

/// <summary>One metric's comparison of current against baseline.</summary>
public readonly record struct MetricDegradation(
    MetricKind Metric,
    double Baseline,
    double Current,
    double RelativeChange,
    HealthLevel Status);

/// <summary>Relative degradation against the baseline (SEMANTICS "Baseline and degradation").</summary>
public static class Degradation
{
    /// <summary>Baselines closer to zero than this are not divided by.</summary>
    public const double ZeroTolerance = 1e-9;

    /// <summary>Errors (RMSE, MAE, MAPE) get worse upwards; the scores (R², accuracy, precision, recall, F1) downwards.</summary>
    public static bool LowerIsBetter(MetricKind metric) =>
        metric is MetricKind.Rmse or MetricKind.Mae or MetricKind.Mape;

    /// <summary>Positive when the metric got worse, as a share of |baseline|.</summary>
    public static double RelativeChange(MetricKind metric, double baseline, double current)
    {
        if (Math.Abs(baseline) < ZeroTolerance)
        {
            return Math.Abs(current - baseline) < ZeroTolerance ? 0 : 1;
        }

        var worsening = LowerIsBetter(metric) ? current - baseline : baseline - current;
        return worsening / Math.Abs(baseline);
    }

    public static HealthLevel Status(double relativeChange, double warning, double critical) =>
        relativeChange >= critical ? HealthLevel.Critical
        : relativeChange >= warning ? HealthLevel.Warning
        : HealthLevel.Ok;

    /// <summary>
    /// The metrics present in both, in <see cref="MetricKind"/> order. UNKNOWN (too few samples) is
    /// the caller's decision, since it depends on the window, not on the metrics.
    /// </summary>
    public static IReadOnlyList<MetricDegradation> Evaluate(MetricValues baseline, MetricValues current, double warning, double critical)
    {
        var result = new List<MetricDegradation>(MetricValues.AllKinds.Count);
        foreach (var kind in MetricValues.AllKinds)
        {
            if (baseline.Get(kind) is { } b && current.Get(kind) is { } c)
            {
                var change = RelativeChange(kind, b, c);
                result.Add(new MetricDegradation(kind, b, c, change, Status(change, warning, critical)));
            }
        }

        return result;
    }

    /// <summary>The worst status among the metrics; OK when there is none.</summary>
    public static HealthLevel Worst(IReadOnlyList<MetricDegradation> degradations)
    {
        var worst = HealthLevel.Ok;
        foreach (var d in degradations)
        {
            if (d.Status > worst)
            {
                worst = d.Status;
            }
        }

        return worst;
    }
}
