using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Tests.Subscriptions;
using Npgsql;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Faults;

/// <summary>
/// Three silos as real processes (the built service, `dotnet ModelPerformance.Silo.dll`) on one PostgreSQL take ingest
/// from clients that retry a batch with the same evaluation ids until some silo acknowledges it; one silo is SIGKILLed
/// mid-run. Afterwards every acknowledged evaluation is in the table once, the monitors answer from the survivors with
/// counts and windows that match the table, reminders keep firing for monitors that lived on the dead silo, and a subscriber on a
/// survivor receives alerts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloKillTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Monitors = 30;

    [Fact]
    public async Task A_silo_killed_under_ingest_loses_no_acknowledged_evaluation_and_its_monitors_reminders_and_subscribers_go_on_on_survivors()
    {
        var connectionString = await postgres.CreateDatabaseAsync("silokill");
        var clusterId = $"kill-{Guid.NewGuid():N}";
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silos.Add(SiloProcess.Start(connectionString, clusterId));
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach (var silo in silos)
            {
                await silo.WaitReadyAsync(http);
            }

            // Monitors whose periodic drift check (every second here) runs by reminder.
            for (var r = 0; r < 6; r++)
            {
                var samples = Enumerable.Range(0, 20).Select(i => new { predicted = (double)i, actual = (double)i + 0.5, features = new { load = (double)(i % 7) } }).ToArray();
                await silos[r % 3].PostAsync(http, "mutation P($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
                    new { input = new { modelId = $"kill-r{r}", machineId = "press", samples } });
                await silos[r % 3].PostAsync(http, $$"""mutation { configureMonitor(modelId: "kill-r{{r}}", machineId: "press", config: { referenceSize: 10, windowSize: 20, minSamples: 10, checkIntervalMinutes: 1 }) { modelId } }""", new { });
            }

            // Windows larger than what the run records, so a monitor's current window is every evaluation the table holds for it.
            for (var m = 0; m < Monitors; m++)
            {
                await silos[m % 3].PostAsync(http, $$"""mutation { configureMonitor(modelId: "kill-m{{m}}", machineId: "press", config: { windowSize: 20000 }) { modelId } }""", new { });
            }

            var acknowledged = new ConcurrentBag<string>();
            var retries = 0;
            var next = 0;
            var longestWait = TimeSpan.Zero;
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
            {
                var random = new Random(c);
                while (!stop.IsCancellationRequested)
                {
                    var batch = Interlocked.Increment(ref next);
                    var ids = Enumerable.Range(0, Monitors).Select(m => $"b{batch}-m{m}").ToList();
                    var body = new
                    {
                        query = "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted duplicates } }",
                        variables = new { inputs = ids.Select((id, m) => new { evaluationId = id, modelId = $"kill-m{m}", machineId = "press", metrics = new { rmse = 1.0 + batch % 5 } }) },
                    };
                    // The same batch, with the same ids, until a silo acknowledges it.
                    var waited = Stopwatch.StartNew();
                    for (var attempt = 0; ; attempt++)
                    {
                        var address = silos[random.Next(silos.Count)].Address;
                        try
                        {
                            using var response = await http.PostAsJsonAsync(new Uri(address, "/graphql"), body);
                            var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                            if (reply?["errors"] is null && reply?["data"]?["recordEvaluations"] is not null)
                            {
                                foreach (var id in ids)
                                {
                                    acknowledged.Add(id);
                                }
                                lock (acknowledged)
                                {
                                    longestWait = waited.Elapsed > longestWait ? waited.Elapsed : longestWait;
                                }
                                break;
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                        {
                        }
                        Interlocked.Increment(ref retries);
                        await Task.Delay(200);
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(4));
            var killed = silos[0];
            killed.Kill();
            var killedAt = Stopwatch.StartNew();
            silos.RemoveAt(0);
            await killed.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(12));
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            output.WriteLine($"acknowledged {acknowledged.Count} evaluations in {next} batches, {retries} retries, the longest a batch waited for its acknowledgement " +
                             $"{longestWait.TotalSeconds:F1} s; the kill was {killedAt.Elapsed.TotalSeconds:F0} s before the end");

            // Reminders keep firing: every reminder monitor, those that lived on the killed silo too, is checked after the kill.
            var killTime = DateTime.UtcNow - killedAt.Elapsed;
            await Eventually.MatchAsync(() => CheckedSinceAsync(connectionString, killTime.AddSeconds(12)), n => n == 6, TimeSpan.FromSeconds(60),
                "a drift check of each of the 6 reminder monitors after the kill");

            // A subscriber on a survivor gets the alerts raised after the kill.
            await using var subscriber = await WebSocketClient.ConnectAndInitAsync(silos[0].Address);
            await subscriber.SubscribeAsync("a", "subscription { alertRaised(modelId: \"kill-m0\") { modelId type } }");
            await subscriber.SyncAsync();
            await silos[1].PostAsync(http, """mutation { setBaseline(modelId: "kill-m0", machineId: "press", metrics: { rmse: 0.001 }) { health } }""", new { });
            var alert = await subscriber.ReceiveAsync();
            Assert.Equal("kill-m0", alert?["payload"]?["data"]?["alertRaised"]?["modelId"]?.GetValue<string>());

            var stored = await StoredAsync(connectionString);
            Assert.True(acknowledged.Count > 0);
            Assert.Empty(acknowledged.Except(stored.Keys));
            Assert.All(stored, s => Assert.Equal(1, s.Value));
            Assert.True(stored.Count <= next * Monitors);

            // Every monitor answers from a survivor with the table's count, and a window whose RMSE is the table's (its rows' root mean square).
            var table = await CountsAsync(connectionString);
            foreach (var (modelId, (count, rmse)) in table)
            {
                var answer = await Eventually.MatchAsync(async () =>
                    {
                        using var response = await http.PostAsJsonAsync(new Uri(silos[0].Address, "/graphql"),
                            new { query = "query M($m: ID!) { monitor(modelId: $m, machineId: \"press\") { evaluationCount current { rmse } } }", variables = new { m = modelId } });
                        var monitor = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["data"]?["monitor"];
                        return (Count: monitor?["evaluationCount"]?.GetValue<int>(), Rmse: monitor?["current"]?["rmse"]?.GetValue<double>());
                    }, a => a.Count == count, TimeSpan.FromSeconds(60), $"{modelId} answering with the table's {count} evaluations");
                Assert.Equal(count, answer.Count);
                Assert.True(Math.Abs(answer.Rmse!.Value - rmse) <= 1e-9 * rmse, $"{modelId}: window RMSE {answer.Rmse} against the table's {rmse}");
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                output.WriteLine($"errors logged by the silo at {silo.Address}:\n{silo.Failures()}");
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<int> CheckedSinceAsync(string connectionString, DateTime since)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(DISTINCT model_id) FROM model_drift_checks WHERE model_id LIKE 'kill-r%' AND checked_at > @since", connection);
        command.Parameters.AddWithValue("since", since);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<string, int>> StoredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT evaluation_id, count(*) FROM model_performance_metrics WHERE model_id LIKE 'kill-m%' GROUP BY evaluation_id", connection);
        var stored = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = (int)reader.GetInt64(1);
        }
        return stored;
    }

    private static async Task<Dictionary<string, (int Count, double Rmse)>> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT model_id, count(*), sqrt(avg(rmse * rmse)) FROM model_performance_metrics WHERE model_id LIKE 'kill-m%' GROUP BY model_id", connection);
        var counts = new Dictionary<string, (int, double)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = ((int)reader.GetInt64(1), reader.GetDouble(2));
        }
        return counts;
    }
}
