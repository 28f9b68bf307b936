using System.Text.Json.Nodes;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>A/B tests over HTTP: starting one and what it refuses, assignment, outcomes in batches, results and stopping.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class AbTestApiTests(GraphQLServiceFixture fixture)
{
    private const string Fields = """
        id modelId machineId versionA versionB trafficSplit primaryMetric lowerIsBetter status startedAt endsAt completedAt
        minSamplesPerArm autoPromote
        results {
          a { arm version samples mean stdDev } b { arm version samples mean stdDev }
          difference relativeLift ciLow ciHigh tStatistic pValue sequentialPValue srmPValue srmDetected confidence winner decision
        }
        """;

    private const string Start = "mutation S($input: StartAbTestInput!) { startAbTest(input: $input) { " + Fields + " } }";

    private const string Record = "mutation R($testId: ID!, $outcomes: [AbOutcomeInput!]!) { recordAbOutcomes(testId: $testId, outcomes: $outcomes) { " + Fields + " } }";

    /// <summary>A monitor whose champion is v1 (seen in data) with v2 registered beside it.</summary>
    private async Task<string> MonitorAsync()
    {
        var modelId = "ab-" + Guid.NewGuid().ToString("N")[..8];
        var samples = Enumerable.Range(0, 5).Select(i => new { predicted = 10.5, actual = 10.0, features = new { load = (double)i } }).ToList();
        var recorded = await fixture.PostAsync("mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-1", modelVersion = "v1", samples } });
        var registered = await fixture.PostAsync("mutation V($input: RegisterVersionInput!) { registerVersion(input: $input) { version } }",
            new { input = new { modelId, machineId = "press-1", version = "v2" } });
        Assert.True(recorded.Errors.Count == 0, recorded.Text);
        Assert.True(registered.Errors.Count == 0, registered.Text);
        return modelId;
    }

    private async Task<JsonNode> StartAsync(object input)
    {
        var reply = await fixture.PostAsync(Start, new { input });
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!["startAbTest"]!;
    }

    [Theory]
    [InlineData("versionB", "\"v1\"", "BAD_USER_INPUT")]
    [InlineData("versionB", "\"v9\"", "NOT_FOUND")]
    [InlineData("versionA", "\"v9\"", "NOT_FOUND")]
    [InlineData("versionB", "\"\"", "BAD_USER_INPUT")]
    [InlineData("trafficSplit", "0", "BAD_USER_INPUT")]
    [InlineData("trafficSplit", "1", "BAD_USER_INPUT")]
    [InlineData("trafficSplit", "-0.2", "BAD_USER_INPUT")]
    [InlineData("minSamplesPerArm", "1", "BAD_USER_INPUT")]
    [InlineData("durationHours", "0", "BAD_USER_INPUT")]
    [InlineData("durationHours", "2161", "BAD_USER_INPUT")]
    [InlineData("primaryMetric", "ACCURACY", "BAD_USER_INPUT")]
    public async Task A_test_the_rules_refuse_names_its_field_and_starts_nothing(string field, string value, string code)
    {
        var modelId = await MonitorAsync();
        var fields = new Dictionary<string, string> { ["versionA"] = "\"v1\"", ["versionB"] = "\"v2\"", [field] = value };
        var input = string.Join(", ", fields.Select(f => $"{f.Key}: {f.Value}"));

        var reply = await fixture.PostAsync($$"""mutation { startAbTest(input: { modelId: "{{modelId}}", machineId: "press-1", {{input}} }) { id } }""");
        var tests = await fixture.PostAsync($$"""{ abTests(modelId: "{{modelId}}") { id } }""");

        Assert.Equal(code, reply.Code);
        Assert.Equal("input/" + field, reply.InputPath);
        Assert.Empty(tests.Data!["abTests"]!.AsArray());
    }

    [Fact]
    public async Task A_test_on_a_monitor_that_does_not_exist_is_not_found()
    {
        var reply = await fixture.PostAsync(Start, new { input = new { modelId = "ab-nobody", machineId = "press-1", versionA = "v1", versionB = "v2" } });

        Assert.Equal("NOT_FOUND", reply.Code);
        Assert.StartsWith("input", reply.InputPath);
    }

    [Fact]
    public async Task A_started_test_runs_with_the_contracts_defaults_and_a_second_one_is_a_conflict_naming_it()
    {
        var modelId = await MonitorAsync();

        var test = await StartAsync(new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2" });
        var id = test["id"]!.GetValue<string>();
        var second = await fixture.PostAsync(Start, new { input = new { modelId, machineId = "press-1", versionA = "v2", versionB = "v1" } });
        var read = (await fixture.PostAsync("query T($id: ID!) { abTest(id: $id) { id status } }", new { id })).Data!["abTest"]!;
        var running = (await fixture.PostAsync("query L($modelId: ID) { abTests(status: RUNNING, modelId: $modelId) { id } }", new { modelId })).Data!["abTests"]!;
        var monitor = (await fixture.PostAsync($$"""{ monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion } }""")).Data!["monitor"]!;

        Assert.Equal("RUNNING", test["status"]!.GetValue<string>());
        Assert.Equal(0.5, test["trafficSplit"]!.GetValue<double>());
        Assert.Equal("MAE", test["primaryMetric"]!.GetValue<string>());
        Assert.True(test["lowerIsBetter"]!.GetValue<bool>());
        Assert.Equal(100, test["minSamplesPerArm"]!.GetValue<int>());
        Assert.False(test["autoPromote"]!.GetValue<bool>());
        Assert.Null(test["completedAt"]);
        Assert.Equal(TimeSpan.FromHours(168), DateTime.Parse(test["endsAt"]!.GetValue<string>()) - DateTime.Parse(test["startedAt"]!.GetValue<string>()));
        Assert.Equal("insufficient data", test["results"]!["decision"]!.GetValue<string>());
        Assert.Equal(0, test["results"]!["a"]!["samples"]!.GetValue<int>());
        Assert.Equal("v2", test["results"]!["b"]!["version"]!.GetValue<string>());
        Assert.Null(test["results"]!["pValue"]);
        Assert.Equal(0, test["results"]!["confidence"]!.GetValue<double>());
        Assert.Equal("CONFLICT", second.Code);
        Assert.Contains(id, second.Error["message"]!.GetValue<string>());
        Assert.Equal("RUNNING", read["status"]!.GetValue<string>());
        Assert.Equal([id], running.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal("v1", monitor["activeVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Assignment_over_HTTP_is_the_published_hash_and_the_version_of_the_arm()
    {
        var modelId = await MonitorAsync();
        var test = await StartAsync(new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2", trafficSplit = 0.3 });
        var id = test["id"]!.GetValue<string>();
        var units = Enumerable.Range(0, 400).Select(i => $"meter-{i}").ToList();

        // Many assignments in one request, as aliases.
        var assigned = new List<JsonNode>();
        foreach (var chunk in units.Chunk(100))
        {
            var query = "mutation { " + string.Join(" ", chunk.Select((u, i) => $$"""u{{i}}: assignAbArm(testId: "{{id}}", unitKey: "{{u}}") { testId unitKey arm version }""")) + " }";
            var reply = await fixture.PostAsync(query);
            Assert.True(reply.Errors.Count == 0, reply.Text);
            assigned.AddRange(chunk.Select((_, i) => reply.Data![$"u{i}"]!));
        }
        var again = await fixture.PostAsync("mutation A($id: ID!) { assignAbArm(testId: $id, unitKey: \"meter-7\") { arm } }", new { id });

        for (var i = 0; i < units.Count; i++)
        {
            var expected = AbStatistics.AssignsToB(id, units[i], 0.3) ? "B" : "A";
            Assert.Equal(id, assigned[i]["testId"]!.GetValue<string>());
            Assert.Equal(units[i], assigned[i]["unitKey"]!.GetValue<string>());
            Assert.Equal(expected, assigned[i]["arm"]!.GetValue<string>());
            Assert.Equal(expected == "B" ? "v2" : "v1", assigned[i]["version"]!.GetValue<string>());
        }
        Assert.Equal(assigned[7]["arm"]!.GetValue<string>(), again.Data!["assignAbArm"]!["arm"]!.GetValue<string>());
        Assert.InRange(assigned.Count(a => a["arm"]!.GetValue<string>() == "B"), 90, 150);
    }

    [Fact]
    public void Over_a_hundred_thousand_units_the_share_of_B_is_within_half_a_point_of_the_split()
    {
        foreach (var split in new[] { 0.5, 0.1, 0.73 })
        {
            var testId = Guid.NewGuid().ToString();
            var toB = Enumerable.Range(0, 100_000).Count(i => AbStatistics.AssignsToB(testId, $"unit-{i}", split));

            Assert.InRange(toB / 100_000.0, split - 0.005, split + 0.005);
        }
    }

    [Theory]
    [InlineData("unknown", "BAD_USER_INPUT", "testId")]
    [InlineData("7d1c3c6e-0000-4000-8000-000000000000", "NOT_FOUND", "testId")]
    public async Task Assignment_to_a_test_that_is_not_there_names_the_test_id(string testId, string code, string path)
    {
        var reply = await fixture.PostAsync("mutation A($id: ID!) { assignAbArm(testId: $id, unitKey: \"meter-1\") { arm } }", new { id = testId });

        Assert.Equal(code, reply.Code);
        Assert.Equal(path, reply.InputPath);
    }

    [Fact]
    public async Task Outcomes_give_each_arms_moments_and_welch_results_and_a_refused_batch_stores_none_of_it()
    {
        var modelId = await MonitorAsync();
        var test = await StartAsync(new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2", minSamplesPerArm = 5 });
        var id = test["id"]!.GetValue<string>();
        var unitOfB = Enumerable.Range(0, 100).Select(i => $"meter-{i}").First(u => AbStatistics.AssignsToB(id, u, 0.5));
        double[] a = [1.0, 1.2, 0.9, 1.1, 1.3, 0.8];
        double[] b = [0.7, 0.9, 0.8, 0.6, 1.0];
        var outcomes = a.Select(v => (object)new { arm = "A", value = v })
            .Concat(b.Select((v, i) => (object)new { arm = "B", value = v, unitKey = i == 0 ? unitOfB : null }))
            .ToList();

        var negative = await fixture.PostAsync(Record, new { testId = id, outcomes = new object[] { new { arm = "A", value = 1.0 }, new { arm = "B", value = -1.0 } } });
        var wrongArm = await fixture.PostAsync(Record, new { testId = id, outcomes = new object[] { new { arm = "A", value = 1.0 }, new { arm = "A", value = 1.0, unitKey = unitOfB } } });
        var empty = await fixture.PostAsync(Record, new { testId = id, outcomes = Array.Empty<object>() });
        var recorded = await fixture.PostAsync(Record, new { testId = id, outcomes });
        var results = recorded.Data!["recordAbOutcomes"]!["results"]!;

        Assert.Equal("BAD_USER_INPUT", negative.Code);
        Assert.Equal("outcomes/1/value", negative.InputPath);
        Assert.Equal("BAD_USER_INPUT", wrongArm.Code);
        Assert.Equal("outcomes/1/arm", wrongArm.InputPath);
        Assert.Equal("BAD_USER_INPUT", empty.Code);
        Assert.Equal("outcomes", empty.InputPath);
        Assert.True(recorded.Errors.Count == 0, recorded.Text);
        Assert.Equal(6, results["a"]!["samples"]!.GetValue<int>());
        Assert.Equal(5, results["b"]!["samples"]!.GetValue<int>());
        var welch = AbStatistics.Welch(ArmSummary.Of(a), ArmSummary.Of(b))!.Value;
        Assert.Equal(a.Average(), results["a"]!["mean"]!.GetValue<double>(), 12);
        Assert.Equal(ArmSummary.Of(b).StandardDeviation, results["b"]!["stdDev"]!.GetValue<double>(), 12);
        Assert.Equal(b.Average() - a.Average(), results["difference"]!.GetValue<double>(), 12);
        Assert.Equal((b.Average() - a.Average()) / a.Average(), results["relativeLift"]!.GetValue<double>(), 12);
        Assert.Equal(welch.T, results["tStatistic"]!.GetValue<double>(), 9);
        Assert.Equal(welch.PValue, results["pValue"]!.GetValue<double>(), 9);
        Assert.Equal(welch.ConfidenceLow, results["ciLow"]!.GetValue<double>(), 9);
        Assert.Equal(welch.ConfidenceHigh, results["ciHigh"]!.GetValue<double>(), 9);
        Assert.False(results["srmDetected"]!.GetValue<bool>());
        // Under the sequential test's warm-up there is no sequential p-value yet, so no decision however small pValue is.
        Assert.Null(results["sequentialPValue"]);
        Assert.Equal("no significant difference", results["decision"]!.GetValue<string>());
        Assert.Equal("RUNNING", recorded.Data!["recordAbOutcomes"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_clear_difference_completes_the_test_early_with_B_the_winner_and_without_autoPromote_the_champion_stays()
    {
        var modelId = await MonitorAsync();
        var test = await StartAsync(new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2", minSamplesPerArm = 30 });
        var id = test["id"]!.GetValue<string>();
        var random = new Random(3);
        var outcomes = Enumerable.Range(0, 200).SelectMany(_ => new object[]
        {
            new { arm = "A", value = 2.0 + random.NextDouble() },
            new { arm = "B", value = 1.0 + random.NextDouble() },
        }).ToList();

        var recorded = await fixture.PostAsync(Record, new { testId = id, outcomes });
        var ended = recorded.Data!["recordAbOutcomes"]!;
        var later = await fixture.PostAsync(Record, new { testId = id, outcomes = new object[] { new { arm = "A", value = 1.0 } } });
        var monitor = (await fixture.PostAsync($$"""
            { monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion alerts { type severity message } } }
            """)).Data!["monitor"]!;
        var stored = (await fixture.PostAsync("query L($modelId: ID) { abTests(status: COMPLETED, modelId: $modelId) { id results { winner } } }", new { modelId })).Data!["abTests"]!;

        Assert.True(recorded.Errors.Count == 0, recorded.Text);
        Assert.Equal("COMPLETED", ended["status"]!.GetValue<string>());
        Assert.NotNull(ended["completedAt"]);
        Assert.Equal("B", ended["results"]!["winner"]!.GetValue<string>());
        Assert.Equal("B is better", ended["results"]!["decision"]!.GetValue<string>());
        Assert.True(ended["results"]!["sequentialPValue"]!.GetValue<double>() < 0.05);
        Assert.Equal(1 - ended["results"]!["sequentialPValue"]!.GetValue<double>(), ended["results"]!["confidence"]!.GetValue<double>(), 12);
        Assert.Equal("CONFLICT", later.Code);
        Assert.Equal("testId", later.InputPath);
        Assert.Equal("v1", monitor["activeVersion"]!.GetValue<string>());
        var alert = Assert.Single(monitor["alerts"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "AB_TEST_COMPLETED")!;
        Assert.Equal("INFO", alert["severity"]!.GetValue<string>());
        Assert.Equal(id, Assert.Single(stored.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stopping_ends_a_test_as_stopped_with_no_winner_promoted_and_a_second_stop_is_a_conflict()
    {
        var modelId = await MonitorAsync();
        var test = await StartAsync(new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2", autoPromote = true });
        var id = test["id"]!.GetValue<string>();

        var stopped = await fixture.PostAsync("mutation S($id: ID!) { stopAbTest(id: $id) { status completedAt } }", new { id });
        var again = await fixture.PostAsync("mutation S($id: ID!) { stopAbTest(id: $id) { status } }", new { id });
        var unknown = await fixture.PostAsync("mutation { stopAbTest(id: \"7d1c3c6e-0000-4000-8000-000000000001\") { status } }");
        var next = await fixture.PostAsync(Start, new { input = new { modelId, machineId = "press-1", versionA = "v1", versionB = "v2" } });
        var monitor = (await fixture.PostAsync($$"""{ monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion } }""")).Data!["monitor"]!;

        Assert.True(stopped.Errors.Count == 0, stopped.Text);
        Assert.Equal("STOPPED", stopped.Data!["stopAbTest"]!["status"]!.GetValue<string>());
        Assert.NotNull(stopped.Data!["stopAbTest"]!["completedAt"]);
        Assert.Equal("CONFLICT", again.Code);
        Assert.Equal("id", again.InputPath);
        Assert.Equal("NOT_FOUND", unknown.Code);
        Assert.True(next.Errors.Count == 0, next.Text);
        Assert.Equal("v1", monitor["activeVersion"]!.GetValue<string>());
    }
}
