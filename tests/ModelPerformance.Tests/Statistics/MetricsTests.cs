using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Tests.Statistics;

public sealed class RegressionMetricsTests
{
    public static TheoryData<string> Cases => ReferenceData.Names("regression");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Regression_metrics_match_numpy(string name)
    {
        var c = ReferenceData.Case("regression", name);

        var m = RegressionMetrics.Compute(c.Doubles("actual"), c.Doubles("predicted"));

        Close.Equal(c.NullableDouble("mae"), m.Mae);
        Close.Equal(c.NullableDouble("rmse"), m.Rmse);
        Close.Equal(c.NullableDouble("rSquared"), m.RSquared, relative: 1e-7);
        Close.Equal(c.NullableDouble("mape"), m.Mape);
        Assert.Null(m.Accuracy);
    }

    [Fact]
    public void R_squared_is_null_for_constant_actuals_whose_mean_does_not_round_exactly()
    {
        var m = RegressionMetrics.Compute([0.1, 0.1, 0.1], [0.2, 0.1, 0.0]);

        Assert.Null(m.RSquared);
        Close.Equal(Math.Sqrt(0.02 / 3), m.Rmse!.Value, relative: 1e-12);
    }

    [Fact]
    public void No_pairs_give_no_metrics()
    {
        Assert.False(RegressionMetrics.Compute([], []).HasAny);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1.0, 2.0], [1.0]));
    }
}

public sealed class ClassificationMetricsTests
{
    public static TheoryData<string> Cases => ReferenceData.Names("classification");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_metrics_match_the_reference(string name)
    {
        var c = ReferenceData.Case("classification", name);

        var m = ClassificationMetrics.Compute(c.Strings("actual"), c.Strings("predicted"), c.GetProperty("positiveLabel").GetString()!);

        Close.Equal(c.Double("accuracy"), m.Accuracy!.Value);
        Close.Equal(c.Double("precision"), m.Precision!.Value);
        Close.Equal(c.Double("recall"), m.Recall!.Value);
        Close.Equal(c.Double("f1"), m.F1!.Value);
        Assert.Null(m.Rmse);
    }

    [Fact]
    public void Binary_scores_are_for_the_positive_label()
    {
        // TP 2, FP 1, FN 1 for "yes".
        var m = ClassificationMetrics.Compute(["yes", "yes", "yes", "no", "no"], ["yes", "yes", "no", "yes", "no"], "yes");

        Assert.Equal(0.6, m.Accuracy!.Value, 12);
        Assert.Equal(2.0 / 3, m.Precision!.Value, 12);
        Assert.Equal(2.0 / 3, m.Recall!.Value, 12);
        Assert.Equal(2.0 / 3, m.F1!.Value, 12);
    }

    [Fact]
    public void No_pairs_give_no_metrics()
    {
        Assert.False(ClassificationMetrics.Compute([], [], "1").HasAny);
    }
}

public sealed class WeightedWindowTests
{
    private static MetricValues Weighted(params (MetricValues Metrics, int Weight)[] evaluations)
    {
        var window = new WeightedWindow(Math.Max(1, evaluations.Length));
        foreach (var (metrics, weight) in evaluations)
        {
            window.Add(metrics, weight);
        }
        return window.Metrics();
    }

    /// <summary>The definition, evaluated directly over a list.</summary>
    private static double? Reference(IReadOnlyList<(MetricValues Metrics, int Weight)> evaluations, MetricKind kind)
    {
        double sum = 0, weights = 0;
        foreach (var (metrics, weight) in evaluations)
        {
            if (weight > 0 && metrics.Get(kind) is { } value)
            {
                sum += weight * (kind == MetricKind.Rmse ? value * value : value);
                weights += weight;
            }
        }
        return weights == 0 ? null : kind == MetricKind.Rmse ? Math.Sqrt(sum / weights) : sum / weights;
    }

    [Fact]
    public void Evaluations_are_weighted_by_sample_count_and_rmse_by_its_square()
    {
        var a = new MetricValues(0.9, 2.0, 1.0, 10.0, null, null, null, null);
        var b = new MetricValues(0.5, 4.0, 3.0, null, null, null, null, null);

        var m = Weighted([(a, 1), (b, 3)]);

        Assert.Equal(0.6, m.RSquared!.Value, 12);
        Assert.Equal(Math.Sqrt((4.0 + 3 * 16.0) / 4), m.Rmse!.Value, 12);
        Assert.Equal(2.5, m.Mae!.Value, 12);
        Assert.Equal(10.0, m.Mape!.Value, 12);
        Assert.Null(m.Accuracy);
    }

    [Fact]
    public void Weighted_rmse_of_batches_equals_rmse_of_their_pooled_samples()
    {
        double[] a1 = [1, 2, 3], p1 = [1.5, 2, 2], a2 = [4, 5], p2 = [6, 5.5];
        var pooled = RegressionMetrics.Compute([.. a1, .. a2], [.. p1, .. p2]);

        var m = Weighted([(RegressionMetrics.Compute(a1, p1), 3), (RegressionMetrics.Compute(a2, p2), 2)]);

        Assert.Equal(pooled.Rmse!.Value, m.Rmse!.Value, 12);
        Assert.Equal(pooled.Mae!.Value, m.Mae!.Value, 12);
    }

    [Fact]
    public void Classification_evaluations_average_each_score()
    {
        var a = new MetricValues(null, null, null, null, 0.8, 0.7, 0.6, 0.65);
        var b = new MetricValues(null, null, null, null, 0.6, null, null, null);

        var m = Weighted([(a, 10), (b, 30)]);

        Assert.Equal(0.65, m.Accuracy!.Value, 12);
        Assert.Equal(0.7, m.Precision!.Value, 12);
        Assert.Null(m.Rmse);
    }

    [Fact]
    public void A_sliding_window_keeps_the_metrics_of_its_last_evaluations()
    {
        var random = new Random(7);
        var all = new List<(MetricValues Metrics, int Weight)>();
        var window = new WeightedWindow(100);
        for (var i = 0; i < 5_000; i++)
        {
            // Metrics come and go, values span orders of magnitude, and weights include zero.
            var metrics = new MetricValues(
                random.NextDouble() < 0.8 ? random.NextDouble() * 2 - 1 : null,
                random.NextDouble() < 0.9 ? Math.Exp(random.NextDouble() * 10) : null,
                random.NextDouble() * 1e3, null, random.NextDouble() < 0.1 ? random.NextDouble() : null, null, null, null);
            var weight = random.Next(0, 500);
            all.Add((metrics, weight));
            window.Add(metrics, weight);

            var last = all.Skip(Math.Max(0, all.Count - 100)).ToList();
            var actual = window.Metrics();
            foreach (var kind in MetricValues.AllKinds)
            {
                var expected = Reference(last, kind);
                Assert.Equal(expected.HasValue, actual.Get(kind).HasValue);
                if (expected is { } e)
                {
                    Assert.True(Math.Abs(actual.Get(kind)!.Value - e) <= 1e-9 * Math.Max(1, Math.Abs(e)), $"{kind} after {i + 1}: {actual.Get(kind)} != {e}");
                }
            }
            Assert.Equal(last.Sum(x => (long)x.Weight), window.TotalWeight);
        }
    }

    [Fact]
    public void Resizing_keeps_the_newest_evaluations()
    {
        var window = new WeightedWindow(5);
        for (var i = 1; i <= 5; i++)
        {
            window.Add(new MetricValues(null, null, i, null, null, null, null, null), 1);
        }

        window.Resize(2);
        var shrunk = window.Metrics().Mae;
        window.Resize(10);
        window.Add(new MetricValues(null, null, 10, null, null, null, null, null), 1);

        Assert.Equal(4.5, shrunk);
        Assert.Equal((4.0 + 5 + 10) / 3, window.Metrics().Mae!.Value, 12);
        Assert.Equal(3, window.Count);
    }

    [Fact]
    public void No_evaluations_give_no_metrics()
    {
        Assert.False(new WeightedWindow(10).Metrics().HasAny);
    }
}

public sealed class DegradationTests
{
    [Theory]
    [InlineData(MetricKind.Rmse, 2.0, 2.3, 0.15)]
    [InlineData(MetricKind.Mae, 2.0, 1.0, -0.5)]
    [InlineData(MetricKind.Mape, 10.0, 13.0, 0.3)]
    [InlineData(MetricKind.RSquared, 0.8, 0.6, 0.25)]
    [InlineData(MetricKind.RSquared, -0.5, -1.0, 1.0)]
    [InlineData(MetricKind.Accuracy, 0.9, 0.99, -0.1)]
    [InlineData(MetricKind.F1, 0.5, 0.45, 0.1)]
    [InlineData(MetricKind.Rmse, 0.0, 5e-10, 0.0)]
    [InlineData(MetricKind.Rmse, 0.0, 0.1, 1.0)]
    [InlineData(MetricKind.Precision, 5e-10, 0.5, 1.0)]
    public void Relative_change_is_positive_when_the_metric_got_worse(MetricKind metric, double baseline, double current, double expected)
    {
        Assert.Equal(expected, Degradation.RelativeChange(metric, baseline, current), 12);
    }

    [Theory]
    [InlineData(0.05, HealthLevel.Ok)]
    [InlineData(0.10, HealthLevel.Warning)]
    [InlineData(0.2499, HealthLevel.Warning)]
    [InlineData(0.25, HealthLevel.Critical)]
    [InlineData(-3.0, HealthLevel.Ok)]
    public void Status_follows_the_warning_and_critical_thresholds_inclusively(double change, HealthLevel expected)
    {
        Assert.Equal(expected, Degradation.Status(change, 0.10, 0.25));
    }

    [Fact]
    public void Evaluate_compares_only_metrics_present_in_both()
    {
        var baseline = new MetricValues(0.9, 2.0, 1.0, null, null, null, null, null);
        var current = new MetricValues(0.85, 3.0, null, 12.0, null, null, null, null);

        var result = Degradation.Evaluate(baseline, current, 0.10, 0.25);

        Assert.Equal([MetricKind.RSquared, MetricKind.Rmse], result.Select(d => d.Metric));
        Assert.Equal(HealthLevel.Ok, result[0].Status);
        Assert.Equal(new MetricDegradation(MetricKind.Rmse, 2.0, 3.0, 0.5, HealthLevel.Critical), result[1]);
        Assert.Equal(HealthLevel.Critical, Degradation.Worst(result));
    }

    [Fact]
    public void Nothing_to_compare_is_ok()
    {
        Assert.Equal(HealthLevel.Ok, Degradation.Worst(Degradation.Evaluate(default, default, 0.1, 0.25)));
    }
}
