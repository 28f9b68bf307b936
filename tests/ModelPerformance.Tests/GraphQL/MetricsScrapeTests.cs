using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>Prometheus scrapes the service's own meters at /metrics, and the counters move with what the service does.</summary>
public sealed class MetricsScrapeTests
{
    [Fact]
    public async Task A_scrape_shows_the_evaluations_counter_move_by_what_was_recorded_and_the_alerts_raised()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var modelType = "scrape-" + Guid.NewGuid().ToString("N")[..8];
        async Task RecordAsync(int n) => Assert.Empty((await GraphQLServiceFixture.PostAsync(http,
            "mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }",
            new { inputs = Enumerable.Range(0, n).Select(i => new { modelId = "scrape", machineId = $"press-{i % 2}", modelType, metrics = new { rmse = 1.0 } }) })).Errors);

        await RecordAsync(3);
        var before = await Eventually.MatchAsync(() => CounterAsync(http, modelType), v => v == 3, TimeSpan.FromSeconds(10), "3 evaluations in the scrape");
        await RecordAsync(5);
        var after = await Eventually.MatchAsync(() => CounterAsync(http, modelType), v => v == 8, TimeSpan.FromSeconds(10), "8 evaluations in the scrape");
        using var scrape = await http.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal((3.0, 8.0), (before, after));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE modelperf_evaluations_recorded_total counter", text);
        Assert.Contains("http_server_request_duration_seconds", text);
        // Orleans' meter, but not its directory cache gauge, which costs a walk of the cache at every collection.
        Assert.Matches(new Regex("^orleans_catalog_activations(_ratio)?\\{", RegexOptions.Multiline), text);
        Assert.DoesNotContain("orleans_directory_cache_size", text);
    }

    private static async Task<double> CounterAsync(HttpClient http, string modelType)
    {
        var text = await http.GetStringAsync("/metrics");
        var match = Regex.Match(text, "^modelperf_evaluations_recorded_total\\{[^}]*model_type=\"" + Regex.Escape(modelType) + "\"[^}]*\\} ([0-9.e+]+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
