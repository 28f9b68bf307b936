using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Tests.Statistics;

public sealed class DriftStatisticsTests
{
    public static TheoryData<string> NumericCases => ReferenceData.Names("numericDrift");

    public static TheoryData<string> CategoricalCases => ReferenceData.Names("categoricalDrift");

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Quantile_edges_match_numpy_with_duplicates_dropped(string name)
    {
        var c = ReferenceData.Case("numericDrift", name);

        var reference = new NumericReference(c.Doubles("reference"));

        Assert.Equal(c.Doubles("quantileEdges"), reference.QuantileBinEdges.ToArray());
    }

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Numeric_statistics_match_scipy(string name)
    {
        var c = ReferenceData.Case("numericDrift", name);
        var reference = new NumericReference(c.Doubles("reference"));
        var current = c.Doubles("current");
        Array.Sort(current);

        var ks = DriftStatistics.KsStatistic(reference.Sorted, current);

        Close.Equal(c.Double("psi"), DriftStatistics.Psi(reference, current));
        Assert.Equal(c.Double("ksStatistic"), ks);
        Close.Equal(c.Double("ksPValue"), DriftStatistics.KsPValue(ks, reference.Count, current.Length), relative: 1e-9, absolute: 1e-300);
        Close.Equal(c.Double("wassersteinRaw"), DriftStatistics.Wasserstein(reference.Sorted, current));
        Close.Equal(c.Double("wasserstein"), DriftStatistics.NormalizedWasserstein(reference, current));
    }

    [Fact]
    public void Ks_statistic_and_wasserstein_are_symmetric()
    {
        double[] a = [1, 2, 2, 3, 5, 8], b = [2, 2, 4, 9];

        Assert.Equal(DriftStatistics.KsStatistic(a, b), DriftStatistics.KsStatistic(b, a));
        Assert.Equal(DriftStatistics.Wasserstein(a, b), DriftStatistics.Wasserstein(b, a), 12);
    }

    [Fact]
    public void Identical_samples_have_no_distance()
    {
        double[] a = [1, 2, 2, 3];
        var reference = new NumericReference(a);

        Assert.Equal(0, DriftStatistics.KsStatistic(a, a));
        Assert.Equal(1, DriftStatistics.KsPValue(0, 4, 4));
        Assert.Equal(0, DriftStatistics.Wasserstein(a, a));
        Assert.Equal(0, DriftStatistics.Psi(reference, a), 15);
    }

    public static TheoryData<double, double> KolmogorovPoints()
    {
        var data = new TheoryData<double, double>();
        foreach (var p in ReferenceData.Section("kolmogorov"))
        {
            data.Add(p.Double("x"), p.Double("sf"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KolmogorovPoints))]
    public void Kolmogorov_survival_matches_scipy_kstwobign(double x, double expected)
    {
        Close.Equal(expected, DriftStatistics.KolmogorovSurvival(x), relative: 1e-9, absolute: 1e-300);
    }

    [Theory]
    [MemberData(nameof(CategoricalCases))]
    public void Categorical_statistics_match_scipy(string name)
    {
        var c = ReferenceData.Case("categoricalDrift", name);

        var result = DriftTests.TestFeature("mode", c.Strings("reference"), c.Strings("current"), 0.05, 0.1);

        Close.Equal(c.Double("jensenShannon"), result.JensenShannon);
        Close.Equal(c.Double("chiSquaredPValue"), result.ChiSquaredPValue, relative: 1e-9, absolute: 1e-300);
    }

    [Fact]
    public void Wasserstein_of_a_constant_reference_uses_evidentlys_floor()
    {
        var reference = new NumericReference([3.0, 3.0, 3.0]);

        Assert.Equal(0, reference.StandardDeviation);
        Assert.Equal(0.5 / DriftStatistics.ConstantReferenceStd, DriftStatistics.NormalizedWasserstein(reference, [3.5, 3.5]), 9);
    }
}

public sealed class DriftTestsTests
{
    [Fact]
    public void Small_numeric_reference_is_tested_by_ks_p_value()
    {
        var c = ReferenceData.Case("numericDrift", "shifted mean");

        var result = DriftTests.TestFeature("load", c.Doubles("reference"), c.Doubles("current"), 0.05, 0.1);

        Assert.Equal(FeatureKind.Numeric, result.Kind);
        Assert.Equal(DriftMethod.Ks, result.Method);
        Assert.Equal(result.KsPValue, result.Score);
        Assert.Equal(0.05, result.Threshold);
        Assert.True(result.Drifted);
        Close.Equal(c.Double("psi"), result.Psi);
        Close.Equal(c.Double("wasserstein"), result.Wasserstein);
        Assert.Null(result.JensenShannon);
        Assert.Null(result.ChiSquaredPValue);
    }

    [Fact]
    public void Same_distribution_does_not_drift_by_ks()
    {
        var c = ReferenceData.Case("numericDrift", "same distribution");

        var result = DriftTests.TestFeature("load", c.Doubles("reference"), c.Doubles("current"), 0.05, 0.1);

        Assert.False(result.Drifted);
    }

    [Fact]
    public void Large_numeric_reference_is_tested_by_normalized_wasserstein()
    {
        var c = ReferenceData.Case("numericDrift", "large reference");

        var result = DriftTests.TestFeature("load", c.Doubles("reference"), c.Doubles("current"), 0.05, 0.1);

        Assert.Equal(DriftMethod.Wasserstein, result.Method);
        Close.Equal(c.Double("wasserstein"), result.Score);
        Assert.Equal(0.1, result.Threshold);
        Assert.True(result.Drifted);
        Close.Equal(c.Double("ksPValue"), result.KsPValue, relative: 1e-9, absolute: 1e-300);
    }

    [Fact]
    public void Large_categorical_reference_is_tested_by_jensen_shannon()
    {
        var c = ReferenceData.Case("categoricalDrift", "strong shift");

        var result = DriftTests.TestFeature("mode", c.Strings("reference"), c.Strings("current"), 0.05, 0.1);

        Assert.Equal(FeatureKind.Categorical, result.Kind);
        Assert.Equal(DriftMethod.JensenShannon, result.Method);
        Assert.Equal(result.JensenShannon, result.Score);
        Assert.True(result.Drifted);
        Assert.Null(result.Psi);
        Assert.Null(result.KsStatistic);
    }

    [Fact]
    public void Small_categorical_reference_is_tested_by_chi_squared()
    {
        var c = ReferenceData.Case("categoricalDrift", "category only in reference");

        var result = DriftTests.TestFeature("mode", c.Strings("reference"), c.Strings("current"), 0.05, 0.1);

        Assert.Equal(DriftMethod.ChiSquared, result.Method);
        Assert.Equal(result.ChiSquaredPValue, result.Score);
        Assert.False(result.Drifted);
        Assert.True(DriftTests.TestFeature("mode", c.Strings("reference"), c.Strings("current"), 0.5, 0.1).Drifted);
    }

    [Fact]
    public void Numeric_feature_with_few_distinct_reference_values_is_tested_as_categorical()
    {
        double[] reference = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 0];
        double[] current = [0, 0, 0, 4, 7, 7];
        string[] asText = ["0", "1", "2", "3", "4", "0", "1", "2", "3", "4", "0", "0"];
        var expected = DriftTests.TestFeature("gear", asText, ["0", "0", "0", "4", "7", "7"], 0.05, 0.1);

        var result = DriftTests.TestFeature("gear", reference, current, 0.05, 0.1);

        Assert.Equal(FeatureKind.Categorical, result.Kind);
        Assert.Equal(DriftMethod.ChiSquared, result.Method);
        Assert.Equal(expected, result);
        Assert.Null(result.KsPValue);
    }

    [Fact]
    public void Numeric_feature_with_six_distinct_reference_values_stays_numeric()
    {
        var result = DriftTests.TestFeature("gear", [0.0, 1, 2, 3, 4, 5], [0.0, 1, 2], 0.05, 0.1);

        Assert.Equal(FeatureKind.Numeric, result.Kind);
    }

    [Fact]
    public void Empty_current_sample_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => DriftTests.TestFeature("x", [1.0, 2.0], [], 0.05, 0.1));
    }

    [Theory]
    [InlineData(new[] { true, false }, 0.5, true)]
    [InlineData(new[] { true, false, false }, 0.5, false)]
    [InlineData(new bool[0], 0.5, false)]
    [InlineData(new[] { false }, 0.0, true)]
    public void Report_detects_drift_when_the_drifted_share_reaches_the_threshold(bool[] drifted, double share, bool expected)
    {
        var results = drifted.Select(d => new FeatureDriftResult("f", FeatureKind.Numeric, DriftMethod.Ks, 0.5, 0.05, d, null, null, null, null, null, null)).ToList();

        var summary = DriftTests.Summarize(results, share);

        Assert.Equal(expected, summary.DriftDetected);
        Assert.Equal(drifted.Length, summary.Tested);
        Assert.Equal(drifted.Length == 0 ? 0 : (double)drifted.Count(d => d) / drifted.Length, summary.DriftScore);
    }
}
