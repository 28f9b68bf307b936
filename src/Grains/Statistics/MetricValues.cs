namespace ModelPerformance.Grains.Statistics;

/// <summary>The metrics the service reports; a null metric was not computed or does not apply.</summary>
public enum MetricKind
{
    RSquared,
    Rmse,
    Mae,
    Mape,
    Accuracy,
    Precision,
    Recall,
    F1,
}

/// <summary>Health of a monitor or one of its metrics, from best to worst, then unknown.</summary>
public enum HealthLevel
{
    Ok,
    Warning,
    Critical,
    Unknown,
}

/// <summary>One set of metrics: regression ones, classification ones, or whatever an evaluation recorded.</summary>
public readonly record struct MetricValues(
    double? RSquared,
    double? Rmse,
    double? Mae,
    double? Mape,
    double? Accuracy,
    double? Precision,
    double? Recall,
    double? F1)
{
    public static readonly IReadOnlyList<MetricKind> AllKinds = Enum.GetValues<MetricKind>();

    public double? Get(MetricKind kind) => kind switch
    {
        MetricKind.RSquared => RSquared,
        MetricKind.Rmse => Rmse,
        MetricKind.Mae => Mae,
        MetricKind.Mape => Mape,
        MetricKind.Accuracy => Accuracy,
        MetricKind.Precision => Precision,
        MetricKind.Recall => Recall,
        MetricKind.F1 => F1,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public MetricValues With(MetricKind kind, double? value) => kind switch
    {
        MetricKind.RSquared => this with { RSquared = value },
        MetricKind.Rmse => this with { Rmse = value },
        MetricKind.Mae => this with { Mae = value },
        MetricKind.Mape => this with { Mape = value },
        MetricKind.Accuracy => this with { Accuracy = value },
        MetricKind.Precision => this with { Precision = value },
        MetricKind.Recall => this with { Recall = value },
        MetricKind.F1 => this with { F1 = value },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>True when at least one metric is present.</summary>
    public bool HasAny => RSquared.HasValue || Rmse.HasValue || Mae.HasValue || Mape.HasValue
        || Accuracy.HasValue || Precision.HasValue || Recall.HasValue || F1.HasValue;
}
