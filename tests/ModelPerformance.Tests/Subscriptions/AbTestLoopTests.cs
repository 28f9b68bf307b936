using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>
/// The closed loop on the running service: a degraded model is retrained under the AB_TEST policy, the energy system
/// sends predictions of both versions as it always does, the test fills itself from them, B wins and is promoted,
/// and a subscriber sees the test's updates and the AB_TEST_COMPLETED alert.
/// </summary>
[Collection(SubscriptionServiceCollection.Name)]
public sealed class AbTestLoopTests(SubscriptionServiceFixture fixture)
{
    private Task<GraphQLReply> PostAsync(string query, object? variables = null) => GraphQLServiceFixture.PostAsync(fixture.Http, query, variables);

    /// <summary>Actual load is 2 + 3 x; <paramref name="version"/> predicts it <paramref name="offset"/> too high, with a little noise.</summary>
    private async Task RecordAsync(string modelId, string version, double offset, int count, int seed)
    {
        var random = new Random(seed);
        var samples = Enumerable.Range(0, count).Select(_ =>
        {
            var x = random.NextDouble() * 10;
            var actual = 2 + 3 * x;
            return new { predicted = actual + offset + (random.NextDouble() - 0.5) * 0.2, actual, features = new JsonObject { ["x"] = x } };
        }).ToList();
        var reply = await PostAsync("mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-1", modelVersion = version, samples } });
        Assert.True(reply.Errors.Count == 0, reply.Text);
    }

    [Fact]
    public async Task Retraining_under_AB_TEST_starts_a_test_that_live_predictions_decide_and_B_is_promoted()
    {
        var modelId = "abloop-" + Guid.NewGuid().ToString("N")[..8];
        var configured = await PostAsync($$"""
            mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: { minSamples: 20, windowSize: 200, promotionPolicy: AB_TEST }) { modelId } }
            """);
        Assert.True(configured.Errors.Count == 0, configured.Text);
        await RecordAsync(modelId, "v1", offset: 5, count: 100, seed: 1);
        await using var tests = await WebSocketClient.ConnectAndInitAsync(fixture.Service.BaseAddress);
        await tests.SubscribeAsync("t", "subscription($m: ID) { abTestUpdated(modelId: $m) { id status versionA versionB results { winner decision } } }", new { m = modelId });
        await tests.SyncAsync();
        await using var alerts = await WebSocketClient.ConnectAndInitAsync(fixture.Service.BaseAddress);
        await alerts.SubscribeAsync("a", "subscription($m: ID) { alertRaised(modelId: $m) { type severity message } }", new { m = modelId });
        await alerts.SyncAsync();

        var triggered = await PostAsync($$"""mutation { triggerRetrain(modelId: "{{modelId}}", machineId: "press-1") { id } }""");
        var jobId = triggered.Data!["triggerRetrain"]!["id"]!.GetValue<string>();
        var job = await Eventually.MatchAsync(
            async () => (await PostAsync("query J($id: ID!) { trainingJob(id: $id) { status newVersion abTestId error } }", new { id = jobId })).Data!["trainingJob"]!,
            j => j["status"]!.GetValue<string>() is "SUCCEEDED" or "FAILED", TimeSpan.FromSeconds(20), "the training job ends");
        Assert.True(job["status"]!.GetValue<string>() == "SUCCEEDED", job.ToJsonString());
        var candidate = job["newVersion"]!.GetValue<string>();
        var testId = job["abTestId"]?.GetValue<string>();
        Assert.True(testId is not null, job.ToJsonString());
        var started = (await PostAsync("query T($id: ID!) { abTest(id: $id) { status versionA versionB autoPromote primaryMetric } }", new { id = testId })).Data!["abTest"]!;
        var championWhileTesting = (await PostAsync($$"""{ monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion } }""")).Data!["monitor"]!;

        Assert.Equal("RUNNING", started["status"]!.GetValue<string>());
        Assert.Equal("v1", started["versionA"]!.GetValue<string>());
        Assert.Equal(candidate, started["versionB"]!.GetValue<string>());
        Assert.True(started["autoPromote"]!.GetValue<bool>());
        Assert.Equal("MAE", started["primaryMetric"]!.GetValue<string>());
        Assert.Equal("v1", championWhileTesting["activeVersion"]!.GetValue<string>());

        // Both versions serve traffic; their predictions with actuals are the test's outcomes.
        for (var round = 0; round < 3; round++)
        {
            await RecordAsync(modelId, "v1", offset: 5, count: 50, seed: 10 + round);
            await RecordAsync(modelId, candidate, offset: 0.1, count: 50, seed: 20 + round);
        }
        var ended = await Eventually.MatchAsync(
            async () => (await PostAsync("query T($id: ID!) { abTest(id: $id) { status completedAt results { a { samples mean } b { samples mean } winner decision sequentialPValue } } }", new { id = testId })).Data!["abTest"]!,
            t => t["status"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(20), "the A/B test ends");
        var promoted = await Eventually.MatchAsync(
            async () => (await PostAsync($$"""{ monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion alerts { type severity status } } }""")).Data!["monitor"]!,
            m => m["activeVersion"]!.GetValue<string>() == candidate, TimeSpan.FromSeconds(10), "the candidate is promoted");

        Assert.True(ended["status"]!.GetValue<string>() == "COMPLETED", ended.ToJsonString());
        Assert.Equal("B", ended["results"]!["winner"]!.GetValue<string>());
        Assert.Equal("B is better", ended["results"]!["decision"]!.GetValue<string>());
        Assert.InRange(ended["results"]!["b"]!["samples"]!.GetValue<int>(), 100, 150);
        Assert.Equal(5.0, ended["results"]!["a"]!["mean"]!.GetValue<double>(), 0.1);
        Assert.Equal(0.1, ended["results"]!["b"]!["mean"]!.GetValue<double>(), 0.1);
        Assert.Contains(promoted["alerts"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "AB_TEST_COMPLETED");

        var updates = new List<JsonNode>();
        while (updates.Count == 0 || updates[^1]["status"]!.GetValue<string>() == "RUNNING")
        {
            updates.Add(await NextAsync(tests, "abTestUpdated"));
        }
        Assert.All(updates, u => Assert.Equal(testId, u["id"]!.GetValue<string>()));
        Assert.Equal("RUNNING", updates[0]["status"]!.GetValue<string>());
        Assert.Equal("COMPLETED", updates[^1]["status"]!.GetValue<string>());
        Assert.Equal("B", updates[^1]["results"]!["winner"]!.GetValue<string>());

        JsonNode raised;
        do
        {
            raised = await NextAsync(alerts, "alertRaised");
        }
        while (raised["type"]!.GetValue<string>() != "AB_TEST_COMPLETED");
        Assert.Equal("INFO", raised["severity"]!.GetValue<string>());
        Assert.Contains(candidate, raised["message"]!.GetValue<string>());
    }

    private static async Task<JsonNode> NextAsync(WebSocketClient client, string field)
    {
        var next = await client.ReceiveAsync();
        var data = next?["type"]?.GetValue<string>() == "next" ? next["payload"]?["data"]?[field] : null;
        Assert.True(data is not null, $"expected a next with {field}, got: {next?.ToJsonString() ?? $"socket closed ({client.CloseStatus})"}");
        return data!;
    }
}
