using MathNet.Numerics;

namespace ModelPerformance.Grains.Statistics;

/// <summary>The distribution comparisons of SEMANTICS "Data drift", each as scipy computes it.</summary>
public static class DriftStatistics
{
    /// <summary>Population stability index of a sorted current sample against the reference's bins.</summary>
    public static double Psi(NumericReference reference, ReadOnlySpan<double> sortedCurrent)
    {
        var p = reference.BinShareValues;
        var q = NumericReference.BinShares(sortedCurrent, reference.QuantileBinEdges);
        double psi = 0;
        for (var i = 0; i < q.Length; i++)
        {
            psi += (q[i] - p[i]) * Math.Log(q[i] / p[i]);
        }

        return psi;
    }

    /// <summary>
    /// scipy.stats.ks_2samp's statistic D = sup |F1 - F2| over all x, and scipy.stats.wasserstein_distance
    /// ∫ |F1 - F2| dx, in one merge of the sorted samples. The CDFs are compared after each distinct value
    /// with all its ties consumed (scipy's searchsorted side="right"). D is the exact fraction h / lcm(n, m)
    /// rounded once, as scipy's ks_2samp rounds it, so that both give the same double.
    /// </summary>
    public static (double KsStatistic, double Wasserstein) Compare(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2)
    {
        if (sorted1.IsEmpty || sorted2.IsEmpty)
        {
            throw new ArgumentException("both samples need at least one value");
        }

        long n = sorted1.Length, m = sorted2.Length;
        int i = 0, j = 0;

        // Gaps in units of 1 / (n m): |F1 - F2| = |i m - j n| / (n m), exact in integers.
        long maxGap = 0;
        double area = 0;
        var x = Math.Min(sorted1[0], sorted2[0]);
        while (true)
        {
            while (i < n && sorted1[i] == x)
            {
                i++;
            }

            while (j < m && sorted2[j] == x)
            {
                j++;
            }

            var gap = Math.Abs(i * m - j * n);
            maxGap = Math.Max(maxGap, gap);
            if (i == n && j == m)
            {
                break;
            }

            var next = i == n ? sorted2[j] : j == m ? sorted1[i] : Math.Min(sorted1[i], sorted2[j]);
            area += gap * (next - x);
            x = next;
        }

        var g = (long)System.Numerics.BigInteger.GreatestCommonDivisor(n, m);
        return ((double)(maxGap / g) / (n / g * m), area / ((double)n * m));
    }

    /// <summary>scipy.stats.ks_2samp's statistic of two sorted samples.</summary>
    public static double KsStatistic(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2) =>
        Compare(sorted1, sorted2).KsStatistic;

    /// <summary>The asymptotic two-sided p-value Q(D·sqrt(nm/(n+m))) (scipy.stats.kstwobign.sf), in [0, 1].</summary>
    public static double KsPValue(double statistic, int n, int m) =>
        Math.Clamp(KolmogorovSurvival(statistic * Math.Sqrt((double)n * m / (n + m))), 0, 1);

    /// <summary>
    /// Q(l) = 2 Σ_{k≥1} (-1)^(k-1) exp(-2k²l²). Below l = 1 that series alternates slowly, so there the
    /// equivalent theta-function form of the CDF, sqrt(2π)/l Σ exp(-(2k-1)²π²/(8l²)), is used, as scipy's
    /// kolmogorov does; both converge to double precision in a handful of terms.
    /// </summary>
    public static double KolmogorovSurvival(double l)
    {
        if (l <= 0)
        {
            return 1;
        }

        if (l < 1)
        {
            var w = -Math.PI * Math.PI / (8 * l * l);
            double cdf = 0;
            for (var k = 1; k < 20; k += 2)
            {
                var term = Math.Exp(k * k * w);
                cdf += term;
                if (term < 1e-17 * cdf)
                {
                    break;
                }
            }

            return 1 - Math.Sqrt(2 * Math.PI) / l * cdf;
        }

        double sum = 0;
        var sign = 1.0;
        for (var k = 1; k < 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * l * l);
            sum += sign * term;
            if (term < 1e-17 * sum)
            {
                break;
            }

            sign = -sign;
        }

        return 2 * sum;
    }

    /// <summary>scipy.stats.wasserstein_distance of two sorted samples.</summary>
    public static double Wasserstein(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2) =>
        Compare(sorted1, sorted2).Wasserstein;

    /// <summary>
    /// Wasserstein distance in units of the reference's population standard deviation. A constant
    /// reference has no unit: then, as Evidently does, the standard deviation is floored at 0.001.
    /// The drift tests never get here with one, since a reference with at most 5 distinct values is
    /// tested as categorical.
    /// </summary>
    public static double NormalizedWasserstein(NumericReference reference, ReadOnlySpan<double> sortedCurrent) =>
        Normalize(Wasserstein(reference.Sorted, sortedCurrent), reference);

    /// <summary>A raw Wasserstein distance in units of the reference's standard deviation, floored as above.</summary>
    public static double Normalize(double wasserstein, NumericReference reference) =>
        wasserstein / Math.Max(reference.StandardDeviation, ConstantReferenceStd);

    /// <summary>Evidently's floor for the Wasserstein unit of a constant reference.</summary>
    public const double ConstantReferenceStd = 0.001;

    /// <summary>
    /// scipy.spatial.distance.jensenshannon of two count (or frequency) vectors over the same categories:
    /// each normalized to sum 1, natural logarithm, the square root of the divergence.
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<double> counts1, ReadOnlySpan<double> counts2)
    {
        double total1 = 0, total2 = 0;
        for (var k = 0; k < counts1.Length; k++)
        {
            total1 += counts1[k];
            total2 += counts2[k];
        }

        double divergence = 0;
        for (var k = 0; k < counts1.Length; k++)
        {
            var p = counts1[k] / total1;
            var q = counts2[k] / total2;
            var mid = (p + q) / 2;
            if (p > 0)
            {
                divergence += p * Math.Log(p / mid);
            }

            if (q > 0)
            {
                divergence += q * Math.Log(q / mid);
            }
        }

        // Rounding can leave a hair below zero for identical vectors.
        return Math.Sqrt(Math.Max(divergence, 0) / 2);
    }

    /// <summary>
    /// p-value of Pearson's chi-squared test of independence on the 2 x k table of counts
    /// (scipy.stats.chi2_contingency, correction=False); 1 with fewer than two categories. The
    /// categories are the union of both samples, so no column total is zero.
    /// </summary>
    public static double ChiSquaredPValue(ReadOnlySpan<double> counts1, ReadOnlySpan<double> counts2)
    {
        var k = counts1.Length;
        if (k < 2)
        {
            return 1;
        }

        double total1 = 0, total2 = 0;
        for (var c = 0; c < k; c++)
        {
            total1 += counts1[c];
            total2 += counts2[c];
        }

        var total = total1 + total2;
        double statistic = 0;
        for (var c = 0; c < k; c++)
        {
            var column = counts1[c] + counts2[c];
            var expected1 = total1 * column / total;
            var expected2 = total2 * column / total;
            statistic += (counts1[c] - expected1) * (counts1[c] - expected1) / expected1
                + (counts2[c] - expected2) * (counts2[c] - expected2) / expected2;
        }

        return ChiSquaredSurvival(statistic, k - 1);
    }

    /// <summary>Survival function of chi-squared, as the upper regularized gamma function so that tiny
    /// p-values keep their relative precision (1 - CDF would round them to 0).</summary>
    public static double ChiSquaredSurvival(double statistic, int degreesOfFreedom) =>
        statistic <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2);
}
