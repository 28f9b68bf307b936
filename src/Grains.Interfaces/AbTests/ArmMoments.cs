namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// Count, mean and sum of squared deviations of one arm's outcomes (Welford's online form). Two sets of moments
/// merge exactly (Chan et al.), so a batch is summarised once and added in O(1), and results cost O(1) whatever the count.
/// </summary>
[GenerateSerializer, Immutable, Alias("ArmMoments")]
public readonly record struct ArmMoments([property: Id(0)] long Count, [property: Id(1)] double Mean, [property: Id(2)] double M2)
{
    public static readonly ArmMoments Empty = default;

    /// <summary>Standard deviation with ddof 1; 0 below two samples.</summary>
    public double StandardDeviation => Count < 2 ? 0 : Math.Sqrt(Math.Max(0, M2) / (Count - 1));

    public ArmMoments Add(double value)
    {
        var count = Count + 1;
        var delta = value - Mean;
        var mean = Mean + delta / count;
        return new ArmMoments(count, mean, M2 + delta * (value - mean));
    }

    public ArmMoments Merge(ArmMoments other)
    {
        if (other.Count == 0)
        {
            return this;
        }
        if (Count == 0)
        {
            return other;
        }
        var count = Count + other.Count;
        var delta = other.Mean - Mean;
        return new ArmMoments(count, Mean + delta * other.Count / count, M2 + other.M2 + delta * delta * Count * other.Count / count);
    }
}
