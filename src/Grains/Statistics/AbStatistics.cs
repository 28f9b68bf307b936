using System.Text;
using MathNet.Numerics.Distributions;

namespace ModelPerformance.Grains.Statistics;

/// <summary>Summary of one arm's metric values: n, mean and standard deviation with ddof 1.</summary>
public readonly record struct ArmSummary(long Count, double Mean, double StandardDeviation)
{
    public static ArmSummary Of(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = values.IsEmpty ? 0 : sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        return new ArmSummary(values.Length, mean, values.Length < 2 ? 0 : Math.Sqrt(squares / (values.Length - 1)));
    }
}

/// <summary>Welch's t-test of B against A (scipy.stats.ttest_ind(b, a, equal_var=False)), with the 95% interval of the difference.</summary>
public readonly record struct WelchResult(
    double Difference,
    double StandardError,
    double T,
    double DegreesOfFreedom,
    double PValue,
    double ConfidenceLow,
    double ConfidenceHigh);

/// <summary>The statistics of SEMANTICS "A/B tests".</summary>
public static class AbStatistics
{
    /// <summary>FNV-1a 32-bit hash of the UTF-8 bytes of a string.</summary>
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }

    /// <summary>u = (FNV-1a of testId + "/" + unitKey mod 10000) / 10000; arm B when u &lt; trafficSplit.</summary>
    public static bool AssignsToB(string testId, string unitKey, double trafficSplit) =>
        Fnv1a(testId + "/" + unitKey) % 10000 / 10000.0 < trafficSplit;

    /// <summary>Welch's test; null with fewer than 2 samples in an arm or no variance at all.</summary>
    public static WelchResult? Welch(ArmSummary a, ArmSummary b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return null;
        }

        var va = a.StandardDeviation * a.StandardDeviation / a.Count;
        var vb = b.StandardDeviation * b.StandardDeviation / b.Count;
        if (va + vb == 0)
        {
            return null;
        }

        var se = Math.Sqrt(va + vb);
        var difference = b.Mean - a.Mean;
        var t = difference / se;
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        var half = StudentT.InvCDF(0, 1, df, 0.975) * se;
        return new WelchResult(difference, se, t, df, Math.Min(p, 1), difference - half, difference + half);
    }

    /// <summary>difference / |mean(A)|, null when mean(A) is 0.</summary>
    public static double? RelativeLift(ArmSummary a, ArmSummary b) =>
        a.Mean == 0 ? null : (b.Mean - a.Mean) / Math.Abs(a.Mean);

    /// <summary>
    /// Always-valid p-value of the mixture sequential probability ratio test (Johari, Pekelis and Walsh
    /// 2017) for difference = mean(B) - mean(A) with a normal mixture N(0, τ²) over the true difference:
    /// 1 / Λ with Λ = sqrt(v / (v + τ²)) exp(τ² d² / (2 v (v + τ²))), v = sA²/nA + sB²/nB. τ is
    /// <paramref name="mixtureScale"/> pooled standard deviations, so that the test is scale-free.
    /// Take the running minimum with the previous value (<see cref="NextSequentialPValue"/>): that
    /// minimum, read as often as one likes, drops below α under no difference with chance at most α.
    /// </summary>
    public static double? MixtureSprtPValue(ArmSummary a, ArmSummary b, double mixtureScale = DefaultMixtureScale)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return null;
        }

        var v = a.StandardDeviation * a.StandardDeviation / a.Count + b.StandardDeviation * b.StandardDeviation / b.Count;
        if (v == 0)
        {
            return null;
        }

        var pooledVariance = (a.StandardDeviation * a.StandardDeviation + b.StandardDeviation * b.StandardDeviation) / 2;
        var tau2 = mixtureScale * mixtureScale * pooledVariance;
        var d = b.Mean - a.Mean;
        var logLambda = 0.5 * Math.Log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2));
        return Math.Min(1, Math.Exp(-logLambda));
    }

    /// <summary>Mixture scale in pooled standard deviations: effects of about a tenth to a half of one are what A/B tests of model versions look for.</summary>
    public const double DefaultMixtureScale = 0.25;

    /// <summary>The running minimum of the mixture SPRT p-value; previous is null before the first reading.</summary>
    public static double? NextSequentialPValue(double? previous, ArmSummary a, ArmSummary b, double mixtureScale = DefaultMixtureScale) =>
        MixtureSprtPValue(a, b, mixtureScale) is { } p ? Math.Min(previous ?? 1, p) : previous;

    /// <summary>Pearson chi-squared goodness of fit of (nA, nB) to the split (share of B), 1 degree of freedom.</summary>
    public static double SampleRatioMismatchPValue(long countA, long countB, double trafficSplit)
    {
        var n = (double)(countA + countB);
        var expectedA = n * (1 - trafficSplit);
        var expectedB = n * trafficSplit;
        if (n == 0 || expectedA == 0 || expectedB == 0)
        {
            return 1;
        }

        var statistic = (countA - expectedA) * (countA - expectedA) / expectedA + (countB - expectedB) * (countB - expectedB) / expectedB;
        return DriftStatistics.ChiSquaredSurvival(statistic, 1);
    }

    /// <summary>SRM: p &lt; 0.001 with at least 8 samples in each arm.</summary>
    public static bool SampleRatioMismatch(long countA, long countB, double trafficSplit) =>
        countA >= 8 && countB >= 8 && SampleRatioMismatchPValue(countA, countB, trafficSplit) < 0.001;
}
