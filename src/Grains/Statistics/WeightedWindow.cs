namespace ModelPerformance.Grains.Statistics;

/// <summary>
/// The last <see cref="Capacity"/> recorded evaluations combined into one set of metrics (SEMANTICS "Monitors
/// and samples"): the weighted mean of each metric over the evaluations that have it, weights being sample
/// counts, and RMSE averaged by its squares, sqrt(Σ w·rmse² / Σ w), so that it stays the root of a mean
/// squared error. Non-positive weights count nowhere.
/// <para>
/// Running sums make reading the metrics cost the same however large the window, since ingestion and every
/// health judgement read them. Running subtraction gathers rounding error, so the sums are recomputed from
/// the evaluations once per <see cref="Capacity"/> additions, which keeps the cost constant per addition.
/// </para>
/// </summary>
public sealed class WeightedWindow
{
    private readonly double[] sums = new double[MetricValues.AllKinds.Count];
    private readonly double[] weights = new double[MetricValues.AllKinds.Count];
    /// <summary>The evaluations, a ring once it has grown to the capacity; it grows as they come, so a monitor fed only samples pays nothing for it.</summary>
    private (MetricValues Metrics, int Weight)[] items = [];
    private int start;
    private int additionsSinceRecompute;

    public WeightedWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; private set; }

    public int Count { get; private set; }

    /// <summary>The sum of the evaluations' weights: how many samples the metrics rest on.</summary>
    public long TotalWeight { get; private set; }

    /// <summary>Adds an evaluation; when the window is full, the oldest leaves it.</summary>
    public void Add(MetricValues metrics, int weight)
    {
        if (Count == items.Length && items.Length < Capacity)
        {
            var grown = new (MetricValues, int)[Math.Min(Capacity, Math.Max(16, 2 * items.Length))];
            Items().ToArray().CopyTo(grown, 0);
            items = grown;
            start = 0;
        }
        if (Count == Capacity)
        {
            Account(items[start], -1);
            items[start] = (metrics, weight);
            start = (start + 1) % items.Length;
        }
        else
        {
            items[(start + Count) % items.Length] = (metrics, weight);
            Count++;
        }
        Account((metrics, weight), +1);
        if (++additionsSinceRecompute >= Capacity)
        {
            Recompute();
        }
    }

    /// <summary>The window's weighted metrics; a metric none of its evaluations has is null.</summary>
    public MetricValues Metrics()
    {
        var result = default(MetricValues);
        foreach (var kind in MetricValues.AllKinds)
        {
            var k = (int)kind;
            if (weights[k] > 0)
            {
                var mean = sums[k] / weights[k];
                result = result.With(kind, kind == MetricKind.Rmse ? Math.Sqrt(Math.Max(mean, 0)) : mean);
            }
        }
        return result;
    }

    /// <summary>Keeps the newest evaluations that fit in <paramref name="capacity"/>.</summary>
    public void Resize(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        items = Items().Skip(Math.Max(0, Count - capacity)).ToArray();
        Capacity = capacity;
        start = 0;
        Count = items.Length;
        Recompute();
    }

    /// <summary>The evaluations, oldest first.</summary>
    public IEnumerable<(MetricValues Metrics, int Weight)> Items()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return items[(start + i) % items.Length];
        }
    }

    private void Recompute()
    {
        Array.Clear(sums);
        Array.Clear(weights);
        TotalWeight = 0;
        for (var i = 0; i < Count; i++)
        {
            Account(items[(start + i) % items.Length], +1);
        }
        additionsSinceRecompute = 0;
    }

    private void Account((MetricValues Metrics, int Weight) evaluation, int sign)
    {
        if (evaluation.Weight <= 0)
        {
            return;
        }
        TotalWeight += sign * evaluation.Weight;
        foreach (var kind in MetricValues.AllKinds)
        {
            if (evaluation.Metrics.Get(kind) is { } value)
            {
                var k = (int)kind;
                sums[k] += sign * evaluation.Weight * (kind == MetricKind.Rmse ? value * value : value);
                weights[k] += sign * evaluation.Weight;
            }
        }
    }
}
