namespace ModelPerformance.Grains.Statistics;

/// <summary>
/// A frozen numeric reference sample with what every drift check needs from it, computed once:
/// sorted values, PSI bin edges and shares, population standard deviation and distinct count.
/// </summary>
public sealed class NumericReference
{
    /// <summary>Population stability shares are raised to this, so that empty bins do not divide by zero.</summary>
    public const double MinimumShare = 0.0001;

    private readonly double[] sorted;
    private readonly double[] edges;
    private readonly double[] shares;

    public NumericReference(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("the reference needs at least one value", nameof(values));
        }

        sorted = values.ToArray();
        Array.Sort(sorted);
        edges = QuantileEdges(sorted);
        shares = BinShares(sorted, edges);

        double sum = 0;
        var distinct = 1;
        for (var i = 0; i < sorted.Length; i++)
        {
            sum += sorted[i];
            if (i > 0 && sorted[i] != sorted[i - 1])
            {
                distinct++;
            }
        }

        var mean = sum / sorted.Length;
        double squares = 0;
        foreach (var v in sorted)
        {
            squares += (v - mean) * (v - mean);
        }

        Mean = mean;
        StandardDeviation = Math.Sqrt(squares / sorted.Length);
        DistinctCount = distinct;
    }

    public int Count => sorted.Length;

    public ReadOnlySpan<double> Sorted => sorted;

    /// <summary>The deduplicated inner PSI edges: quantiles at 0.1 ... 0.9.</summary>
    public ReadOnlySpan<double> QuantileBinEdges => edges;

    /// <summary>Reference share of each PSI bin, already floored at <see cref="MinimumShare"/>.</summary>
    public ReadOnlySpan<double> BinShareValues => shares;

    public double Mean { get; }

    /// <summary>Population standard deviation (ddof 0), the Wasserstein distance's unit.</summary>
    public double StandardDeviation { get; }

    public int DistinctCount { get; }

    /// <summary>numpy.quantile(sorted, q) with the default linear method, reproducing numpy's lerp exactly
    /// so that edges equal to data values put ties in the same bins as numpy does.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var index = (sorted.Length - 1) * q;
        var lower = Math.Floor(index);
        var gamma = index - lower;
        var i = (int)lower;
        var a = sorted[i];
        var b = sorted[Math.Min(i + 1, sorted.Length - 1)];
        var diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /// <summary>Number of values below <paramref name="x"/> in a sorted span.</summary>
    internal static int CountBelow(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Shares of bins (-inf, e1), [e1, e2), ..., [ek, +inf) of a sorted sample, floored.</summary>
    internal static double[] BinShares(ReadOnlySpan<double> sorted, ReadOnlySpan<double> edges)
    {
        var result = new double[edges.Length + 1];
        var previous = 0;
        for (var i = 0; i <= edges.Length; i++)
        {
            var below = i < edges.Length ? CountBelow(sorted, edges[i]) : sorted.Length;
            result[i] = Math.Max((double)(below - previous) / sorted.Length, MinimumShare);
            previous = below;
        }

        return result;
    }

    private static double[] QuantileEdges(ReadOnlySpan<double> sorted)
    {
        Span<double> buffer = stackalloc double[9];
        var count = 0;
        for (var i = 1; i <= 9; i++)
        {
            var edge = Quantile(sorted, i / 10.0);
            if (count == 0 || edge != buffer[count - 1])
            {
                buffer[count++] = edge;
            }
        }

        return buffer[..count].ToArray();
    }
}
