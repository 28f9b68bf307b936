using System.Numerics;

namespace ModelPerformance.Grains.Trainers;

/// <summary>The Theil-Sen line: the median of pairwise slopes.</summary>
public static class TheilSen
{
    /// <summary>Pairs sampled to place the window around the median slope.</summary>
    internal const int DefaultSampleSize = 100_000;

    /// <summary>Up to this many slopes (8 bytes each) are simply all computed and sorted.</summary>
    internal const long DefaultMaterialiseLimit = 400_000;

    /// <summary>Fixed, so that the same input always takes the same path (and the same time).</summary>
    private const int Seed = 20_261_126;

    /// <summary>
    /// <c>scipy.stats.theilslopes(y, x)</c> with its default method "separate": the slope is the median of
    /// (y_j - y_i) / (x_j - x_i) over all pairs with x_j &gt; x_i (the mean of the two middle slopes for an even
    /// count, as numpy.median); the intercept is median(y) - slope * median(x). Exact, without holding all
    /// n(n-1)/2 slopes: see <see cref="MedianSlope"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a value is not finite, or fewer than two distinct x.</exception>
    public static (double Slope, double Intercept) Fit(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        Fit(x, y, DefaultSampleSize, DefaultMaterialiseLimit);

    internal static (double Slope, double Intercept) Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, int sampleSize, long materialiseLimit)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"{x.Count} x values but {y.Count} y values", nameof(y));
        }

        if (x.Any(v => !double.IsFinite(v)) || y.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("x and y must be finite numbers", nameof(x));
        }

        // Sorted by x, a point's partners with a larger x are the points after its group of equal x.
        var order = Enumerable.Range(0, x.Count).OrderBy(i => x[i]).ToArray();
        var xs = order.Select(i => x[i]).ToArray();
        var ys = order.Select(i => y[i]).ToArray();
        var slope = MedianSlope(xs, ys, sampleSize, materialiseLimit);
        return (slope, Median(ys) - slope * Median(xs));
    }

    /// <summary>
    /// The median slope of the pairs of points sorted by <paramref name="xs"/>. Above the materialise limit: the
    /// slopes of a deterministic random sample of pairs give a window [lo, hi] that should hold the wanted ranks; one
    /// pass over all pairs counts the slopes below lo, equal to lo, equal to hi, and above hi, and keeps only those
    /// strictly inside; the wanted ranks are then read off exactly. When they fall outside, the window widens and the
    /// pass repeats. Slopes equal to a bound are counted rather than kept, so heavily tied slopes (a constant metric)
    /// cost no memory.
    /// </summary>
    private static double MedianSlope(double[] xs, double[] ys, int sampleSize, long materialiseLimit)
    {
        var n = xs.Length;
        // next[i]: the first index whose x is larger than xs[i]; pairsBefore[i]: valid pairs of the points before i.
        var next = new int[n];
        var pairsBefore = new long[n + 1];
        for (int i = n - 1, groupEnd = n; i >= 0; i--)
        {
            if (i < n - 1 && xs[i] < xs[i + 1])
            {
                groupEnd = i + 1;
            }

            next[i] = groupEnd;
        }

        for (var i = 0; i < n; i++)
        {
            pairsBefore[i + 1] = pairsBefore[i] + (n - next[i]);
        }

        var total = pairsBefore[n];
        if (total == 0)
        {
            throw new ArgumentException("the Theil-Sen slope needs at least two distinct x values", nameof(xs));
        }

        // numpy.median: the middle slope, or the mean of the two middle ones.
        var upper = total / 2;
        var lower = total % 2 == 1 ? upper : upper - 1;
        if (total <= materialiseLimit)
        {
            var all = new double[total];
            var k = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = next[i]; j < n; j++)
                {
                    all[k++] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
                }
            }

            Array.Sort(all);
            return (all[lower] + all[upper]) / 2;
        }

        var sample = SampleSlopes(xs, ys, next, pairsBefore, sampleSize);
        // Half-width of the window in sample ranks: about five standard deviations of the sample median's rank.
        var halfWidth = 5 * Math.Sqrt(sampleSize) / 2 + 2;
        while (true)
        {
            var centre = (double)lower / total * sampleSize;
            var loRank = (int)Math.Floor(centre - halfWidth);
            var hiRank = (int)Math.Ceiling(centre + halfWidth);
            var lo = loRank < 0 ? double.NegativeInfinity : sample[loRank];
            var hi = hiRank >= sampleSize ? double.PositiveInfinity : sample[hiRank];
            var window = Pass(xs, ys, next, lo, hi);
            if (window.TryRank(lower, out var a) && window.TryRank(upper, out var b))
            {
                return (a + b) / 2;
            }

            halfWidth *= 4;
        }
    }

    private static double[] SampleSlopes(double[] xs, double[] ys, int[] next, long[] pairsBefore, int sampleSize)
    {
        var random = new Random(Seed);
        var total = pairsBefore[^1];
        var sample = new double[sampleSize];
        for (var s = 0; s < sampleSize; s++)
        {
            // Pair number r: point i owns pairs pairsBefore[i] .. pairsBefore[i + 1] - 1, its partners from next[i] on.
            var r = random.NextInt64(total);
            var i = Array.BinarySearch(pairsBefore, r);
            // Only the last group's points own no pair, and their (empty) ranges start at total, which r never reaches:
            // below that, pairsBefore strictly increases and the search finds a unique owner.
            i = i >= 0 ? i : ~i - 1;
            var j = next[i] + (int)(r - pairsBefore[i]);
            sample[s] = (ys[j] - ys[i]) / (xs[j] - xs[i]);
        }

        Array.Sort(sample);
        return sample;
    }

    /// <summary>
    /// One pass over all pairs, a SIMD vector of partners at a time: the slopes below lo are counted branch-free, and
    /// only a vector with a slope in [lo, hi] (rare) is looked at slope by slope. Vector division rounds as scalar
    /// division does, so the slopes are bit for bit those of theilslopes.
    /// </summary>
    private static Window Pass(double[] xs, double[] ys, int[] next, double lo, double hi)
    {
        var n = xs.Length;
        var width = Vector<double>.Count;
        var (loV, hiV) = (new Vector<double>(lo), new Vector<double>(hi));
        var window = new Window(0, lo, 0, [], hi, 0);
        for (var i = 0; i < n; i++)
        {
            var (xi, yi) = (xs[i], ys[i]);
            var (xiV, yiV) = (new Vector<double>(xi), new Vector<double>(yi));
            var belowV = Vector<long>.Zero;
            var j = next[i];
            for (; j <= n - width; j += width)
            {
                var slopes = (new Vector<double>(ys, j) - yiV) / (new Vector<double>(xs, j) - xiV);
                belowV -= Vector.LessThan(slopes, loV); // a true lane is -1
                // One mask, one branch: testing "any >= lo" and "any <= hi" apart branches unpredictably on noisy data.
                var inWindow = Vector.GreaterThanOrEqual(slopes, loV) & Vector.LessThanOrEqual(slopes, hiV);
                if (inWindow != Vector<long>.Zero)
                {
                    for (var k = 0; k < width; k++)
                    {
                        if (inWindow[k] != 0)
                        {
                            window.Add(slopes[k]);
                        }
                    }
                }
            }

            window.Below += Vector.Sum(belowV);
            for (; j < n; j++)
            {
                window.Add((ys[j] - yi) / (xs[j] - xi));
            }
        }

        window.Inside.Sort();
        return window;
    }

    /// <summary>The slopes of one pass in rank order: below lo, equal to lo, inside (sorted), equal to hi, above hi.</summary>
    private sealed class Window(long below, double lo, long atLo, List<double> inside, double hi, long atHi)
    {
        public long Below { get; set; } = below;

        public List<double> Inside { get; } = inside;

        /// <summary>Counts or keeps one slope; a slope equal to both bounds (lo == hi) counts once, at lo.</summary>
        public void Add(double slope)
        {
            if (slope < lo)
            {
                Below++;
            }
            else if (slope == lo)
            {
                atLo++;
            }
            else if (slope < hi)
            {
                Inside.Add(slope);
            }
            else if (slope == hi)
            {
                atHi++;
            }
        }

        public bool TryRank(long rank, out double value)
        {
            var r = rank - Below;
            value = r < atLo ? lo : r - atLo < Inside.Count ? Inside[(int)(r - atLo)] : hi;
            return r >= 0 && r < atLo + Inside.Count + atHi;
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
