using System.Globalization;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>Monitor.forecast over HTTP: the champion's recent evaluations, the line and its crossings.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class ForecastApiTests(GraphQLServiceFixture fixture)
{
    private const string Forecast = """
        query F($modelId: ID!, $horizon: Int) {
          monitor(modelId: $modelId, machineId: "press-1") {
            forecast(horizonHours: $horizon) { metric slopePerDay now projected horizonHours warningAt criticalAt evaluations }
          }
        }
        """;

    private static object Evaluation(string modelId, string version, DateTime at, double mae) => new
    {
        modelId,
        machineId = "press-1",
        modelVersion = version,
        evaluatedAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        sampleCount = 96,
        metrics = new { mae },
    };

    [Fact]
    public async Task A_steadily_rising_error_is_forecast_to_cross_its_levels_and_other_versions_do_not_count()
    {
        var modelId = "forecast-" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTime.UtcNow.AddDays(-6);
        // MAE rises 0.1 a day from 1.0; a challenger's bad evaluations and one older than 7 days must not bend the line.
        var inputs = Enumerable.Range(0, 13).Select(i => Evaluation(modelId, "v1", start.AddDays(i * 0.5), 1.0 + 0.05 * i))
            .Append(Evaluation(modelId, "v2", start.AddDays(1), 50))
            .Append(Evaluation(modelId, "v1", start.AddDays(-3), 90))
            .ToList();
        var recorded = await fixture.PostAsync("mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs });
        var baseline = await fixture.PostAsync($$"""
            mutation { setBaseline(modelId: "{{modelId}}", machineId: "press-1", metrics: { mae: 1.0 }) { modelId } }
            """);
        var configured = await fixture.PostAsync($$"""
            mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: { warningDegradation: 0.8, criticalDegradation: 1.0 }) { modelId } }
            """);

        var reply = await fixture.PostAsync(Forecast, new { modelId, horizon = 48 });

        Assert.True(recorded.Errors.Count == 0, recorded.Text);
        Assert.True(baseline.Errors.Count == 0 && configured.Errors.Count == 0, baseline.Text + configured.Text);
        var forecast = Assert.Single(reply.Data!["monitor"]!["forecast"]!.AsArray())!;
        var queriedAt = DateTime.UtcNow;
        var daysSinceFirst = (queriedAt - start).TotalDays;
        Assert.Equal("MAE", forecast["metric"]!.GetValue<string>());
        Assert.Equal(13, forecast["evaluations"]!.GetValue<int>());
        Assert.Equal(48, forecast["horizonHours"]!.GetValue<int>());
        Assert.Equal(0.1, forecast["slopePerDay"]!.GetValue<double>(), 6);
        Assert.Equal(1.0 + 0.1 * daysSinceFirst, forecast["now"]!.GetValue<double>(), 3);
        Assert.Equal(1.0 + 0.1 * (daysSinceFirst + 2), forecast["projected"]!.GetValue<double>(), 3);
        // The line reaches 1.8 eight days after the first evaluation and 2.0 ten days after.
        Assert.Equal(start.AddDays(8), DateTime.Parse(forecast["warningAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), TimeSpan.FromMinutes(1));
        Assert.Equal(start.AddDays(10), DateTime.Parse(forecast["criticalAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Without_a_baseline_there_is_no_forecast_and_a_bad_horizon_names_the_argument()
    {
        var modelId = "forecast-" + Guid.NewGuid().ToString("N")[..8];
        var inputs = Enumerable.Range(0, 12).Select(i => Evaluation(modelId, "v1", DateTime.UtcNow.AddHours(-i), 1 + i)).ToList();
        await fixture.PostAsync("mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs });

        var none = await fixture.PostAsync(Forecast, new { modelId, horizon = 24 });
        var bad = await fixture.PostAsync(Forecast, new { modelId, horizon = 0 });

        Assert.True(none.Errors.Count == 0, none.Text);
        Assert.Empty(none.Data!["monitor"]!["forecast"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", bad.Code);
        Assert.Equal("horizonHours", bad.InputPath);
    }
}
