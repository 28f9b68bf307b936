namespace ModelPerformance.Grains.Trainers;

/// <summary>
/// The Theil-Sen line of <c>scipy.stats.theilslopes(y, x)</c> (method "separate"): the slope is the median of the
/// pairwise slopes over pairs with x_j &gt; x_i, the intercept median(y) - slope * median(x).
/// </summary>
public static class TheilSen
{
    /// <summary>Pairs sampled to find where the median slope lies before the exact pass.</summary>
    private const int SampledPairs = 20_000;

    /// <summary>Up to this many pairs the slopes are simply all kept and sorted.</summary>
    private const long DirectPairs = 2_000_000;

    public static (double Slope, double Intercept) Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException("x and y differ in length");
        }
        var n = x.Count;
        var xs = x.ToArray();
        var ys = y.ToArray();
        long pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (xs[j] > xs[i])
                {
                    pairs++;
                }
            }
        }
        if (pairs == 0)
        {
            throw new ArgumentException("Theil-Sen needs at least two distinct x values");
        }
        var slope = pairs <= DirectPairs ? MedianOfAll(xs, ys, pairs) : MedianByWindow(xs, ys, pairs);
        return (slope, Median(ys) - slope * Median(xs));
    }

    private static double MedianOfAll(double[] x, double[] y, long pairs)
    {
        var slopes = new double[pairs];
        var k = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < x.Length; j++)
            {
                if (x[j] > x[i])
                {
                    slopes[k++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        return Median(slopes);
    }

    /// <summary>
    /// Exact without keeping every slope: a fixed-seed sample of pairs brackets the middle ranks, one pass counts
    /// the slopes below the bracket and keeps those inside it, and the median is selected among those; a bracket
    /// that missed is widened and the pass repeated.
    /// </summary>
    private static double MedianByWindow(double[] x, double[] y, long pairs)
    {
        var random = new Random(20261202);
        var sample = new List<double>(SampledPairs);
        while (sample.Count < SampledPairs)
        {
            var i = random.Next(x.Length);
            var j = random.Next(x.Length);
            if (x[j] > x[i])
            {
                sample.Add((y[j] - y[i]) / (x[j] - x[i]));
            }
        }
        sample.Sort();
        // The middle ranks (one, or two for an even count), zero-based.
        var low = (pairs - 1) / 2;
        var high = pairs / 2;
        for (var margin = 0.01; ; margin *= 4)
        {
            var lo = margin >= 0.5 ? double.NegativeInfinity : sample[(int)Math.Max(0, (0.5 - margin) * (sample.Count - 1))];
            var hi = margin >= 0.5 ? double.PositiveInfinity : sample[(int)Math.Min(sample.Count - 1, (0.5 + margin) * (sample.Count - 1))];
            long below = 0;
            var inside = new List<double>();
            for (var i = 0; i < x.Length; i++)
            {
                for (var j = 0; j < x.Length; j++)
                {
                    if (x[j] > x[i])
                    {
                        var s = (y[j] - y[i]) / (x[j] - x[i]);
                        if (s < lo)
                        {
                            below++;
                        }
                        else if (s <= hi)
                        {
                            inside.Add(s);
                        }
                    }
                }
            }
            if (below <= low && high < below + inside.Count)
            {
                inside.Sort();
                return (inside[(int)(low - below)] + inside[(int)(high - below)]) / 2;
            }
        }
    }

    /// <summary>numpy.median: the middle value, or the mean of the two middle ones.</summary>
    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
