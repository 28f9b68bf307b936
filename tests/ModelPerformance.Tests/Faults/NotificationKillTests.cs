using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Faults;

/// <summary>
/// At-least-once delivery across a crash: two silo processes on PostgreSQL, alerts raised while the receiver is down, the silo that
/// raised them SIGKILLed with their deliveries pending and some claimed; once the receiver is back, every delivery arrives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationKillTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Alerts = 12;

    [Fact]
    public async Task Deliveries_pending_on_a_killed_silo_while_the_receiver_is_down_all_arrive_once_it_is_back()
    {
        var connectionString = await postgres.CreateDatabaseAsync("notifykill");
        var clusterId = $"notify-kill-{Guid.NewGuid():N}";
        // A short lease, so the dead silo's claimed deliveries are free again within seconds.
        var settings = new Dictionary<string, string> { ["Notifications__AttemptTimeout"] = "00:00:02" };
        await using var receiver = WebhookReceiver.Start();
        receiver.Stop();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var raising = SiloProcess.Start(connectionString, clusterId, settings);
        await raising.WaitReadyAsync(http);
        await using var survivor = SiloProcess.Start(connectionString, clusterId, settings);
        await survivor.WaitReadyAsync(http);

        await raising.PostAsync(http, "mutation($url: String!) { createNotificationChannel(input: { name: \"kill\", kind: WEBHOOK, url: $url, secret: \"k\" }) { id } }",
            new { url = receiver.Url() });
        // Alerts opened through the silo that is killed: predictions 1 off against a baseline MAE of 0.1.
        var samples = Enumerable.Range(0, 10).Select(i => new { predicted = (double)i, actual = i + 1.0 }).ToArray();
        for (var i = 0; i < Alerts; i++)
        {
            var m = $"nk-{i}";
            await raising.PostAsync(http, "mutation($m: ID!) { configureMonitor(modelId: $m, machineId: \"press\", config: { minSamples: 5 }) { modelId } }", new { m });
            await raising.PostAsync(http, "mutation($m: ID!) { setBaseline(modelId: $m, machineId: \"press\", metrics: { mae: 0.1 }) { modelId } }", new { m });
            await raising.PostAsync(http, "mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
                new { input = new { modelId = m, machineId = "press", samples } });
        }
        using (var listed = await http.PostAsJsonAsync(new Uri(raising.Address, "/graphql"), new { query = "{ alerts(status: OPEN) { id severity } }" }))
        {
            var open = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["data"]!["alerts"]!.AsArray();
            Assert.True(open.Count == Alerts, open.ToJsonString());
        }
        var deliveries = await Eventually.MatchAsync(() => DeliveriesAsync(connectionString), d => d.Count == Alerts && d.All(x => x.Attempts >= 1),
            TimeSpan.FromSeconds(30), $"{Alerts} deliveries tried at least once against the receiver that is down");
        Assert.All(deliveries, d => Assert.Equal("PENDING", d.Status));

        raising.Kill();
        var killedAt = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.Listen();
        var backAt = receiver.Elapsed;
        var arrived = await receiver.WaitForAsync(r => deliveries.All(d => r.Any(w => w.Header("X-ModelPerf-Delivery") == d.Id.ToString())),
            TimeSpan.FromSeconds(60), "every delivery at the receiver after it came back");
        var last = arrived.Max(w => w.At) - backAt;
        var final = await Eventually.MatchAsync(() => DeliveriesAsync(connectionString), d => d.All(x => x.Status == "DELIVERED"), TimeSpan.FromSeconds(10),
            "every delivery recorded DELIVERED by the survivor");

        var byDelivery = arrived.GroupBy(w => w.Header("X-ModelPerf-Delivery")).ToDictionary(g => g.Key!, g => g.Count());
        output.WriteLine($"{deliveries.Count} deliveries pending at the kill; after the receiver came back (kill + 2 s) all arrived within {last.TotalSeconds:F1} s; " +
                         $"{byDelivery.Values.Sum()} requests for {byDelivery.Count} deliveries ({byDelivery.Values.Count(n => n > 1)} sent more than once); " +
                         $"attempts per delivery {string.Join(",", final.Select(d => d.Attempts))}");
        Assert.Equal(deliveries.Select(d => d.Id.ToString()).Order(), byDelivery.Keys.Order());
        Assert.All(arrived, w => Assert.Equal("FIRING", w.Json["event"]!.GetValue<string>()));
        Assert.Equal(Alerts, arrived.Select(w => w.Json["alert"]!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(70));
    }

    private static async Task<List<(Guid Id, string Status, int Attempts)>> DeliveriesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, status, attempts FROM model_notification_deliveries ORDER BY seq", connection);
        var rows = new List<(Guid, string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return rows;
    }
}
