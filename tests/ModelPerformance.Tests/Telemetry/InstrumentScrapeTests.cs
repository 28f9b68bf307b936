using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Tests.Subscriptions;

namespace ModelPerformance.Tests.Telemetry;

/// <summary>The open-subscriptions gauge and the training-job status counter, as Prometheus scrapes them at /metrics.</summary>
[Collection(TelemetrySerialCollection.Name)]
public sealed class InstrumentScrapeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Open_subscriptions_rise_and_fall_with_subscribe_complete_and_close_and_a_failed_job_counts_its_status_changes()
    {
        await using var service = await RunningService.StartAsync();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var modelId = "scrape-" + Guid.NewGuid().ToString("N")[..8];
        var open = await SubscriptionsAsync(http);
        var jobs = await JobsAsync(http);

        var socket = await WebSocketClient.ConnectAndInitAsync(service.BaseAddress);
        await using (socket)
        {
            await socket.SubscribeAsync("jobs", $$"""subscription { trainingJobUpdated(modelId: "{{modelId}}") { status } }""");
            await socket.SubscribeAsync("alerts", $$"""subscription { alertRaised(modelId: "{{modelId}}") { id } }""");
            await socket.SyncAsync();
            await Eventually.MatchAsync(() => SubscriptionsAsync(http), v => v == open + 2, Wait, "two more open subscriptions");
            await socket.SendAsync(new { id = "alerts", type = "complete" });
            await socket.SyncAsync();
            await Eventually.MatchAsync(() => SubscriptionsAsync(http), v => v == open + 1, Wait, "one more open subscription after a complete");

            // Samples without a numeric feature: the built-in trainer fails the job.
            var samples = Enumerable.Range(0, 50).Select(i => new { predicted = i + 1.0, actual = (double)i, features = new JsonObject { ["shift"] = "night" } });
            Assert.Empty((await GraphQLServiceFixture.PostAsync(http, "mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
                new { input = new { modelId, machineId = "press-1", modelVersion = "v1", samples } })).Errors);
            Assert.Empty((await GraphQLServiceFixture.PostAsync(http,
                $$"""mutation { triggerRetrain(modelId: "{{modelId}}", machineId: "press-1", reason: "scrape") { id } }""")).Errors);
            JsonNode? update;
            do
            {
                update = await socket.ReceiveAsync();
            }
            while (update is not null && update["payload"]?["data"]?["trainingJobUpdated"]?["status"]?.GetValue<string>() != "FAILED");
            Assert.NotNull(update);
        }
        await Eventually.MatchAsync(() => SubscriptionsAsync(http), v => v == open, Wait, "as many open subscriptions as before, the socket closed");
        var after = await JobsAsync(http);

        Assert.Equal(jobs.Pending + 1, after.Pending);
        Assert.Equal(jobs.Running + 1, after.Running);
        Assert.Equal(jobs.Failed + 1, after.Failed);
        Assert.Equal(jobs.Succeeded, after.Succeeded);
    }

    private static async Task<double> SubscriptionsAsync(HttpClient http) =>
        Value(await http.GetStringAsync("/metrics"), "modelperf_subscriptions_active", null);

    private static async Task<(double Pending, double Running, double Failed, double Succeeded)> JobsAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        return (Value(text, "modelperf_training_jobs_total", "PENDING"), Value(text, "modelperf_training_jobs_total", "RUNNING"),
            Value(text, "modelperf_training_jobs_total", "FAILED"), Value(text, "modelperf_training_jobs_total", "SUCCEEDED"));
    }

    /// <summary>A sample's value, 0 while the series is absent (an instrument appears with its first measurement).</summary>
    private static double Value(string scrape, string metric, string? status)
    {
        var labels = status is null ? "(\\{[^}]*\\})?" : $"\\{{[^}}]*status=\"{status}\"[^}}]*\\}}";
        var match = Regex.Match(scrape, $"^{metric}{labels} ([0-9.e+-]+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[^1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
