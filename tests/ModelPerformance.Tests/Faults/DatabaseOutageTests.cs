using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Faults;

/// <summary>
/// PostgreSQL stopped under a running cluster member (a server of its own, so that no other test sees the outage):
/// calls that need it answer UNAVAILABLE within 10 seconds and store nothing, readiness turns unready, and when the
/// server returns the service takes writes again with no restart.
/// </summary>
// In the PostgreSQL collection although it has a server of its own: disposing a server clears Npgsql's pools, which
// would break the collection's tests if they ran meanwhile.
[Collection(PostgresCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private static string Record(int i) =>
        $$"""mutation { recordEvaluation(input: { evaluationId: "outage-{{i}}", modelId: "outage", machineId: "press-1", metrics: { rmse: 1.5 } }) { id } }""";

    [Fact]
    public async Task While_the_database_is_down_writes_answer_UNAVAILABLE_quickly_and_after_it_returns_they_are_taken_again()
    {
        // PostgreSQL's default durability (the throwaway server turns it off for speed): an immediate stop is a crash,
        // and only with fsync and synchronous commit does an acknowledged row survive it.
        await using var postgres = await ThrowawayPostgres.StartAsync("-c fsync=on -c synchronous_commit=on -c full_page_writes=on");
        var connectionString = await postgres.CreateDatabaseAsync("outage");
        await using var service = await RunningService.StartAsync(connectionString, $"outage-{Guid.NewGuid():N}");
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var acknowledged = new List<int>();
        Assert.Empty((await GraphQLServiceFixture.PostAsync(http, Record(0))).Errors);
        acknowledged.Add(0);

        await postgres.StopAsync();
        var watch = Stopwatch.StartNew();
        var down = await GraphQLServiceFixture.PostAsync(http, Record(1));
        var answeredIn = watch.Elapsed;
        var second = await GraphQLServiceFixture.PostAsync(http, Record(2));
        var ready = await Eventually.MatchAsync(async () => (await http.GetAsync("/health/ready")).StatusCode, s => s != HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "readiness turning unready");
        output.WriteLine($"first call while down answered in {answeredIn.TotalSeconds:F1} s: {down.Text}");

        await postgres.RestartAsync();
        var restartedAt = Stopwatch.StartNew();
        var back = await Eventually.MatchAsync(() => GraphQLServiceFixture.PostAsync(http, Record(3)), r => r.Errors.Count == 0, TimeSpan.FromSeconds(30),
            "writes taken again after the database returned");
        acknowledged.Add(3);
        output.WriteLine($"writes taken again {restartedAt.Elapsed.TotalSeconds:F1} s after the database returned");
        var readyAgain = await Eventually.MatchAsync(async () => (await http.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "readiness back");

        Assert.Equal("UNAVAILABLE", down.Code);
        Assert.True(answeredIn < TimeSpan.FromSeconds(10), $"answered after {answeredIn}");
        Assert.Equal("UNAVAILABLE", second.Code);
        Assert.DoesNotContain("Npgsql", down.Text);
        Assert.DoesNotContain("   at ", down.Text);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal(HttpStatusCode.OK, readyAgain);
        Assert.Empty(back.Errors);
        Assert.Equal(acknowledged.Select(i => $"outage-{i}").Order(), await StoredAsync(connectionString));
    }

    private static async Task<List<string>> StoredAsync(string connectionString)
    {
        // Not from the pool: the pool's connections died with the server.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT evaluation_id FROM model_performance_metrics WHERE model_id = 'outage' ORDER BY evaluation_id", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}

/// <summary>PostgreSQL stopped for 20 seconds under ingest from clients that retry with the same ids.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseOutageUnderIngestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_seconds_without_the_database_under_ingest_answer_UNAVAILABLE_lose_nothing_acknowledged_and_end_within_30_seconds_of_its_return()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync("-c fsync=on -c synchronous_commit=on -c full_page_writes=on");
        var connectionString = await postgres.CreateDatabaseAsync("outage20");
        await using var service = await RunningService.StartAsync(connectionString, $"outage20-{Guid.NewGuid():N}");
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var next = 0;
        var lastAcknowledged = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = Interlocked.Increment(ref next);
                var ids = Enumerable.Range(0, 20).Select(m => $"b{batch}-m{m}").ToList();
                var body = new
                {
                    query = "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }",
                    variables = new { inputs = ids.Select((id, m) => new { evaluationId = id, modelId = $"o20-m{m}", machineId = "press", metrics = new { rmse = 1.0 } }) },
                };
                while (true)
                {
                    var reply = await GraphQLServiceFixture.PostAsync(http, body.query, body.variables);
                    if (reply.Errors.Count == 0)
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.Add(id);
                        }
                        lastAcknowledged.Restart();
                        break;
                    }
                    codes.AddOrUpdate(reply.Errors[0]!["extensions"]?["code"]?.GetValue<string>() ?? "none", 1, (_, n) => n + 1);
                    await Task.Delay(250);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await postgres.RestartAsync();
        var returned = Stopwatch.StartNew();
        var resumed = await Eventually.MatchAsync(() => Task.FromResult(lastAcknowledged.Elapsed < returned.Elapsed), r => r, TimeSpan.FromSeconds(30),
            "writes acknowledged again after the database returned");
        var resumedAfter = returned.Elapsed - lastAcknowledged.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        output.WriteLine($"acknowledged {acknowledged.Count}; refusals {string.Join(", ", codes.Select(c => $"{c.Key} {c.Value}"))}; writes acknowledged again {resumedAfter.TotalSeconds:F1} s after the database returned");

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT evaluation_id FROM model_performance_metrics WHERE model_id LIKE 'o20-%'", connection);
        var stored = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.True(resumed);
        Assert.Empty(acknowledged.Except(stored));
        Assert.True(codes.Keys.All(c => c == "UNAVAILABLE"), "refusals while the database was down: " + string.Join(", ", codes.Keys));
        Assert.True(codes.GetValueOrDefault("UNAVAILABLE") > 0);
    }
}
