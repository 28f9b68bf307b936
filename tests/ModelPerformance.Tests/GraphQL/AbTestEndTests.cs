using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>A test that reaches its endsAt: an hour of 3 seconds (a check-interval unit of 50 ms).</summary>
public sealed class AbTestEndTests
{
    [Fact]
    public async Task At_endsAt_a_test_without_a_significant_difference_completes_with_no_winner_and_nothing_promoted()
    {
        await using var service = await RunningService.StartAsync(settings: new Dictionary<string, string?> { ["Monitors:CheckIntervalUnit"] = "00:00:00.05" });
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var samples = Enumerable.Range(0, 5).Select(i => new { predicted = 10.5, actual = 10.0, features = new { load = (double)i } }).ToList();
        Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId = "ab-end", machineId = "press-1", modelVersion = "v1", samples } }));
        Succeeds(await GraphQLServiceFixture.PostAsync(http, """mutation { registerVersion(input: { modelId: "ab-end", machineId: "press-1", version: "v2" }) { version } }"""));
        var started = Succeeds(await GraphQLServiceFixture.PostAsync(http, """
            mutation { startAbTest(input: { modelId: "ab-end", machineId: "press-1", versionA: "v1", versionB: "v2", minSamplesPerArm: 3, durationHours: 1, autoPromote: true }) { id startedAt endsAt } }
            """))["startAbTest"]!;
        var id = started["id"]!.GetValue<string>();
        double[] a = [1.0, 1.1, 0.9, 1.05];
        double[] b = [1.0, 1.05, 0.95, 1.1];
        Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation R($id: ID!, $o: [AbOutcomeInput!]!) { recordAbOutcomes(testId: $id, outcomes: $o) { status } }",
            new { id, o = a.Select(v => new { arm = "A", value = v }).Concat(b.Select(v => new { arm = "B", value = v })) }));

        var ended = await Eventually.MatchAsync(
            async () => Succeeds(await GraphQLServiceFixture.PostAsync(http, "query T($id: ID!) { abTest(id: $id) { status completedAt results { winner decision a { samples } } } }", new { id }))["abTest"]!,
            t => t["status"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(30), "the test ends at endsAt");
        var monitor = await Eventually.MatchAsync(
            async () => Succeeds(await GraphQLServiceFixture.PostAsync(http, """{ monitor(modelId: "ab-end", machineId: "press-1") { activeVersion alerts { type } } }"""))["monitor"]!,
            m => m["alerts"]!.AsArray().Any(x => x!["type"]!.GetValue<string>() == "AB_TEST_COMPLETED"), TimeSpan.FromSeconds(10), "the completion alert");
        var listed = Succeeds(await GraphQLServiceFixture.PostAsync(http, """{ abTests(status: COMPLETED, modelId: "ab-end") { id } }"""))["abTests"]!;

        Assert.Equal(TimeSpan.FromSeconds(3), DateTime.Parse(started["endsAt"]!.GetValue<string>()) - DateTime.Parse(started["startedAt"]!.GetValue<string>()));
        Assert.Equal("COMPLETED", ended["status"]!.GetValue<string>());
        Assert.True(DateTime.Parse(ended["completedAt"]!.GetValue<string>()) >= DateTime.Parse(started["endsAt"]!.GetValue<string>()), ended.ToJsonString());
        Assert.Null(ended["results"]!["winner"]);
        Assert.Equal("no significant difference", ended["results"]!["decision"]!.GetValue<string>());
        Assert.Equal(4, ended["results"]!["a"]!["samples"]!.GetValue<int>());
        Assert.Equal("v1", monitor["activeVersion"]!.GetValue<string>());
        Assert.Equal(id, Assert.Single(listed.AsArray())!["id"]!.GetValue<string>());
    }

    private static System.Text.Json.Nodes.JsonNode Succeeds(GraphQLReply reply)
    {
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!;
    }
}
