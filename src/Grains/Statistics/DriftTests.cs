namespace ModelPerformance.Grains.Statistics;

public enum FeatureKind
{
    Numeric,
    Categorical,
}

public enum DriftMethod
{
    Ks,
    ChiSquared,
    Wasserstein,
    JensenShannon,
}

/// <summary>
/// One feature's drift test. Score is the p-value (KS, CHI_SQUARED: drifted when below Threshold)
/// or the distance (WASSERSTEIN, JENSEN_SHANNON: drifted when above). Numeric features carry Psi,
/// KsStatistic, KsPValue and Wasserstein; categorical ones JensenShannon and ChiSquaredPValue.
/// </summary>
public readonly record struct FeatureDriftResult(
    string Feature,
    FeatureKind Kind,
    DriftMethod Method,
    double Score,
    double Threshold,
    bool Drifted,
    double? Psi,
    double? KsStatistic,
    double? KsPValue,
    double? Wasserstein,
    double? JensenShannon,
    double? ChiSquaredPValue);

/// <summary>Share of drifted features and the report's verdict.</summary>
public readonly record struct DriftSummary(int Tested, int Drifted, double DriftScore, bool DriftDetected);

/// <summary>The drift decision of SEMANTICS "Data drift" (Evidently's defaults), per feature and per report.</summary>
public static class DriftTests
{
    /// <summary>References up to this size are tested by p-value (KS, chi-squared), larger ones by distance.</summary>
    public const int SmallReferenceSize = 1000;

    /// <summary>A numeric reference with at most this many distinct values is tested as categorical.</summary>
    public const int MaxCategoricalDistinctValues = 5;

    /// <summary>
    /// Tests a numeric feature. Both samples must be non-empty (a feature missing on one side is not tested).
    /// The current sample is copied and sorted once; the reference is precomputed.
    /// </summary>
    public static FeatureDriftResult TestFeature(
        string feature, NumericReference reference, ReadOnlySpan<double> current, double ksAlpha, double distanceThreshold)
    {
        RequireCurrent(current.Length);
        if (reference.DistinctCount <= MaxCategoricalDistinctValues)
        {
            return TestNumericAsCategorical(feature, reference.Sorted, current, ksAlpha, distanceThreshold);
        }

        var sorted = current.ToArray();
        Array.Sort(sorted);
        var (ks, rawWasserstein) = DriftStatistics.Compare(reference.Sorted, sorted);
        var ksP = DriftStatistics.KsPValue(ks, reference.Count, sorted.Length);
        var wasserstein = DriftStatistics.Normalize(rawWasserstein, reference);
        var psi = DriftStatistics.Psi(reference, sorted);
        var small = reference.Count <= SmallReferenceSize;
        return new FeatureDriftResult(
            feature,
            FeatureKind.Numeric,
            small ? DriftMethod.Ks : DriftMethod.Wasserstein,
            Score: small ? ksP : wasserstein,
            Threshold: small ? ksAlpha : distanceThreshold,
            Drifted: small ? ksP < ksAlpha : wasserstein > distanceThreshold,
            Psi: psi,
            KsStatistic: ks,
            KsPValue: ksP,
            Wasserstein: wasserstein,
            JensenShannon: null,
            ChiSquaredPValue: null);
    }

    /// <summary>Tests a numeric feature whose reference is not precomputed.</summary>
    public static FeatureDriftResult TestFeature(
        string feature, ReadOnlySpan<double> reference, ReadOnlySpan<double> current, double ksAlpha, double distanceThreshold) =>
        TestFeature(feature, new NumericReference(reference), current, ksAlpha, distanceThreshold);

    /// <summary>Tests a categorical feature over the union of the categories of both samples.</summary>
    public static FeatureDriftResult TestFeature(
        string feature, IReadOnlyList<string> reference, IReadOnlyList<string> current, double ksAlpha, double distanceThreshold)
    {
        if (reference.Count == 0)
        {
            throw new ArgumentException("the reference needs at least one value", nameof(reference));
        }

        RequireCurrent(current.Count);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts1 = new List<double>();
        var counts2 = new List<double>();
        foreach (var value in reference)
        {
            Tally(index, counts1, counts2, value, first: true);
        }

        foreach (var value in current)
        {
            Tally(index, counts1, counts2, value, first: false);
        }

        return Categorical(feature, reference.Count, counts1, counts2, ksAlpha, distanceThreshold);
    }

    /// <summary>driftScore = drifted / tested; detected when something was tested and the score reaches the share threshold.</summary>
    public static DriftSummary Summarize(IReadOnlyList<FeatureDriftResult> results, double driftShareThreshold)
    {
        var drifted = 0;
        foreach (var r in results)
        {
            if (r.Drifted)
            {
                drifted++;
            }
        }

        var score = results.Count == 0 ? 0 : (double)drifted / results.Count;
        return new DriftSummary(results.Count, drifted, score, results.Count > 0 && score >= driftShareThreshold);
    }

    private static FeatureDriftResult TestNumericAsCategorical(
        string feature, ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> current, double ksAlpha, double distanceThreshold)
    {
        var index = new Dictionary<double, int>();
        var counts1 = new List<double>();
        var counts2 = new List<double>();
        foreach (var value in sortedReference)
        {
            Tally(index, counts1, counts2, value, first: true);
        }

        foreach (var value in current)
        {
            Tally(index, counts1, counts2, value, first: false);
        }

        return Categorical(feature, sortedReference.Length, counts1, counts2, ksAlpha, distanceThreshold);
    }

    private static void Tally<T>(Dictionary<T, int> index, List<double> counts1, List<double> counts2, T value, bool first)
        where T : notnull
    {
        if (!index.TryGetValue(value, out var k))
        {
            k = counts1.Count;
            index[value] = k;
            counts1.Add(0);
            counts2.Add(0);
        }

        if (first)
        {
            counts1[k]++;
        }
        else
        {
            counts2[k]++;
        }
    }

    private static FeatureDriftResult Categorical(
        string feature, int referenceCount, List<double> counts1, List<double> counts2, double ksAlpha, double distanceThreshold)
    {
        var c1 = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(counts1);
        var c2 = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(counts2);
        var js = DriftStatistics.JensenShannon(c1, c2);
        var chiP = DriftStatistics.ChiSquaredPValue(c1, c2);
        var small = referenceCount <= SmallReferenceSize;
        return new FeatureDriftResult(
            feature,
            FeatureKind.Categorical,
            small ? DriftMethod.ChiSquared : DriftMethod.JensenShannon,
            Score: small ? chiP : js,
            Threshold: small ? ksAlpha : distanceThreshold,
            Drifted: small ? chiP < ksAlpha : js > distanceThreshold,
            Psi: null,
            KsStatistic: null,
            KsPValue: null,
            Wasserstein: null,
            JensenShannon: js,
            ChiSquaredPValue: chiP);
    }

    private static void RequireCurrent(int count)
    {
        if (count == 0)
        {
            throw new ArgumentException("the current sample needs at least one value", "current");
        }
    }
}
