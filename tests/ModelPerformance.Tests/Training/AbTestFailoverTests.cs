using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Training;

/// <summary>
/// An A/B test on PostgreSQL whose silo is killed while outcomes arrive: two whole services of one cluster, then a
/// restart of the cluster. Assignment is the same on every silo and after the restart, and the test goes on on the
/// survivor with every outcome that was acknowledged, from recordAbOutcomes and from predictions alike.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AbTestFailoverTests(PostgresServer postgres)
{
    private const string ModelId = "ab-failover";

    private const string Record = "mutation R($testId: ID!, $outcomes: [AbOutcomeInput!]!) { recordAbOutcomes(testId: $testId, outcomes: $outcomes) { id } }";

    private const string Read = "query T($id: ID!) { abTest(id: $id) { status results { a { samples mean } b { samples mean } } } }";

    [Fact]
    public async Task A_test_whose_silo_is_killed_keeps_every_acknowledged_outcome_and_every_assignment()
    {
        var connectionString = await postgres.CreateDatabaseAsync("abfailover");
        var clusterId = $"ab-failover-{Guid.NewGuid():N}";
        var units = Enumerable.Range(0, 200).Select(i => $"meter-{i}").ToList();
        // The test and its monitor activate on the only silo there is, so the silo killed below is the one holding them.
        await using var first = await RunningService.StartAsync(connectionString, clusterId, FailoverSettings.Fast);
        using var toFirst = new HttpClient { BaseAddress = first.BaseAddress };
        await PredictAsync(toFirst, "v1", count: 5);
        Succeeds(await GraphQLServiceFixture.PostAsync(toFirst, """
            mutation { registerVersion(input: { modelId: "ab-failover", machineId: "press-1", version: "v2" }) { version } }
            """));
        var started = Succeeds(await GraphQLServiceFixture.PostAsync(toFirst, """
            mutation { startAbTest(input: { modelId: "ab-failover", machineId: "press-1", versionA: "v1", versionB: "v2", minSamplesPerArm: 100000, durationHours: 24 }) { id } }
            """));
        var testId = started["startAbTest"]!["id"]!.GetValue<string>();
        var assignedOnFirst = await AssignAsync(toFirst, testId, units);
        // Outcomes from predictions: 3 x 20 of A, 2 x 20 of B (their own MAE: 0.5 and 0.25).
        for (var i = 0; i < 3; i++)
        {
            await PredictAsync(toFirst, "v1", 20, error: 0.5);
        }
        for (var i = 0; i < 2; i++)
        {
            await PredictAsync(toFirst, "v2", 20, error: 0.25);
        }

        await using var survivor = await RunningService.StartAsync(connectionString, clusterId, FailoverSettings.Fast);
        using var toSurvivor = new HttpClient { BaseAddress = survivor.BaseAddress };
        var assignedOnSurvivor = await AssignAsync(toSurvivor, testId, units);

        // Batches of 10 B outcomes of 1.0 go to the first silo until it is gone; each acknowledged one must count.
        var acknowledged = 0;
        var sent = 0;
        using var stopSending = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            var outcomes = Enumerable.Range(0, 10).Select(_ => new { arm = "B", value = 1.0 }).ToArray();
            while (!stopSending.IsCancellationRequested)
            {
                Interlocked.Increment(ref sent);
                try
                {
                    var reply = await GraphQLServiceFixture.PostAsync(toFirst, Record, new { testId, outcomes });
                    if (reply.Errors.Count == 0)
                    {
                        Interlocked.Increment(ref acknowledged);
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        });
        await Eventually.MatchAsync(() => Task.FromResult(Volatile.Read(ref acknowledged)), n => n >= 20, TimeSpan.FromSeconds(30), "outcomes acknowledged by the first silo");
        await first.KillAsync();
        await stopSending.CancelAsync();
        await sender;

        var afterKill = await Eventually.MatchAsync(
            async () => await GraphQLServiceFixture.PostAsync(toSurvivor, Read, new { id = testId }), reply => reply.Errors.Count == 0,
            TimeSpan.FromSeconds(60), "the test answered by the survivor");
        Succeeds(await GraphQLServiceFixture.PostAsync(toSurvivor, Record, new { testId, outcomes = new[] { new { arm = "A", value = 0.5 } } }));
        var goesOn = Succeeds(await GraphQLServiceFixture.PostAsync(toSurvivor, Read, new { id = testId }))["abTest"]!;

        var results = afterKill.Data!["abTest"]!["results"]!;
        Assert.Equal("RUNNING", afterKill.Data!["abTest"]!["status"]!.GetValue<string>());
        Assert.Equal(60, results["a"]!["samples"]!.GetValue<int>());
        Assert.Equal(0.5, results["a"]!["mean"]!.GetValue<double>(), 9);
        Assert.InRange(results["b"]!["samples"]!.GetValue<int>(), 40 + 10 * acknowledged, 40 + 10 * sent);
        Assert.Equal(61, goesOn["results"]!["a"]!["samples"]!.GetValue<int>());
        Assert.Equal(assignedOnFirst, assignedOnSurvivor);
        Assert.Contains("A", assignedOnFirst);
        Assert.Contains("B", assignedOnFirst);

        // The whole cluster restarts: assignment and outcomes are as they were.
        await survivor.DisposeAsync();
        await using var restarted = await RunningService.StartAsync(connectionString, clusterId, FailoverSettings.Fast);
        using var toRestarted = new HttpClient { BaseAddress = restarted.BaseAddress };
        var assignedAfterRestart = await AssignAsync(toRestarted, testId, units);
        var afterRestart = Succeeds(await GraphQLServiceFixture.PostAsync(toRestarted, Read, new { id = testId }))["abTest"]!;

        Assert.Equal(assignedOnFirst, assignedAfterRestart);
        Assert.Equal(goesOn.ToJsonString(), afterRestart.ToJsonString());

        // The running test is a row of v_active_ab_tests, whose results follow the grain's within about a second.
        await Eventually.MatchAsync(() => ActiveRowSamplesAsync(connectionString, testId), samples => samples == 61, TimeSpan.FromSeconds(10),
            "v_active_ab_tests showing the test with its results");
    }

    private static async Task<int?> ActiveRowSamplesAsync(string connectionString, string testId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (results -> 'a' ->> 'samples')::int FROM v_active_ab_tests WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(testId));
        return await command.ExecuteScalarAsync() is int samples ? samples : null;
    }

    private static async Task<List<string>> AssignAsync(HttpClient http, string testId, IReadOnlyList<string> units)
    {
        var query = "mutation { " + string.Join(" ", units.Select((u, i) => $$"""u{{i}}: assignAbArm(testId: "{{testId}}", unitKey: "{{u}}") { arm }""")) + " }";
        var data = Succeeds(await GraphQLServiceFixture.PostAsync(http, query));
        return units.Select((_, i) => data[$"u{i}"]!["arm"]!.GetValue<string>()).ToList();
    }

    /// <summary>Predictions of <paramref name="version"/> that are <paramref name="error"/> too high.</summary>
    private static async Task PredictAsync(HttpClient http, string version, int count, double error = 0.5)
    {
        var samples = Enumerable.Range(0, count).Select(i => new { predicted = 10.0 + error, actual = 10.0, features = new { load = (double)i } }).ToList();
        Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId = ModelId, machineId = "press-1", modelVersion = version, samples } }));
    }

    private static JsonNode Succeeds(GraphQLReply reply)
    {
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!;
    }
}
