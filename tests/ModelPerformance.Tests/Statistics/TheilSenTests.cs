using System.Text.Json.Nodes;
using ModelPerformance.Grains.Statistics;
using ModelPerformance.Grains.Trainers;

namespace ModelPerformance.Tests.Statistics;

/// <summary>The Theil-Sen line against scipy.stats.theilslopes (theilsen_reference.py), and the forecast read from it.</summary>
public sealed class TheilSenTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<object[]> Cases()
    {
        using var stream = typeof(TheilSenTests).Assembly.GetManifestResourceStream("Statistics.theilsen.json")
            ?? throw new InvalidOperationException("theilsen.json is not embedded");
        foreach (var node in JsonNode.Parse(stream)!.AsArray())
        {
            yield return [node!["name"]!.GetValue<string>()];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_line_is_scipys_theilslopes(string name)
    {
        using var stream = typeof(TheilSenTests).Assembly.GetManifestResourceStream("Statistics.theilsen.json")!;
        var node = JsonNode.Parse(stream)!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var x = node["x"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var y = node["y"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

        var (slope, intercept) = TheilSen.Fit(x, y);

        Assert.Equal(node["slope"]!.GetValue<double>(), slope, 1e-12);
        Assert.Equal(node["intercept"]!.GetValue<double>(), intercept, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pass_over_all_pairs_is_exact_when_its_first_window_misses(string name)
    {
        using var stream = typeof(TheilSenTests).Assembly.GetManifestResourceStream("Statistics.theilsen.json")!;
        var node = JsonNode.Parse(stream)!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var x = node["x"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var y = node["y"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

        // Eight sampled pairs and no pair count small enough to sort whole: the window is narrow and often widens.
        var (slope, intercept) = TheilSen.Fit(x, y, sampleSize: 8, materialiseLimit: 0);

        Assert.Equal(node["slope"]!.GetValue<double>(), slope, 1e-12);
        Assert.Equal(node["intercept"]!.GetValue<double>(), intercept, 1e-12);
    }

    [Fact]
    public void One_distinct_x_has_no_line()
    {
        Assert.Throws<ArgumentException>(() => TheilSen.Fit([1, 1, 1], [1, 2, 3]));
    }

    [Fact]
    public void A_rising_error_crosses_the_warning_and_critical_levels_when_the_line_says()
    {
        // MAE rising 0.1 a day from 1.0 six days ago: 1.6 now; baseline 1.0, warning at 1.8 (two days on), critical at 2.0 (four).
        var points = Enumerable.Range(0, 13).Select(i => (Now.AddDays(-6 + i * 0.5), 1.0 + 0.05 * i)).ToList();

        var line = DegradationForecast.Fit(points, MetricKind.Mae, 1.0, 0.8, 1.0, Now, 24)!;

        Assert.Equal(0.1, line.SlopePerDay, 1e-12);
        Assert.Equal(1.6, line.Now, 1e-12);
        Assert.Equal(1.7, line.Projected, 1e-12);
        Assert.Equal(13, line.Evaluations);
        Assert.Equal(Now.AddDays(2), line.WarningAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(Now.AddDays(4), line.CriticalAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_score_past_its_level_crosses_now_and_an_improving_one_never()
    {
        var falling = Enumerable.Range(0, 10).Select(i => (Now.AddDays(-9 + i), 0.9 - 0.02 * i)).ToList();
        var rising = Enumerable.Range(0, 10).Select(i => (Now.AddDays(-9 + i), 0.5 + 0.01 * i)).ToList();

        var past = DegradationForecast.Fit(falling, MetricKind.RSquared, 0.9, 0.1, 0.5, Now, 24)!;
        var improving = DegradationForecast.Fit(rising, MetricKind.RSquared, 0.9, 0.1, 0.5, Now, 24)!;

        Assert.Equal(Now, past.WarningAt);
        Assert.NotNull(past.CriticalAt);
        Assert.True(past.CriticalAt > Now);
        Assert.Null(improving.CriticalAt);
    }

    [Fact]
    public void A_crossing_beyond_a_year_is_none_and_nine_evaluations_make_no_forecast()
    {
        var slow = Enumerable.Range(0, 10).Select(i => (Now.AddDays(-9 + i), 1.0 + 0.0001 * i)).ToList();

        Assert.Null(DegradationForecast.Fit(slow, MetricKind.Rmse, 1.0, 0.1, 0.25, Now, 24)!.WarningAt);
        Assert.Null(DegradationForecast.Fit(slow.Take(9).ToList(), MetricKind.Rmse, 1.0, 0.1, 0.25, Now, 24));
    }
}
