using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>Reminders of an alert that stays OPEN, on a service whose minute of <c>repeatIntervalMinutes</c> lasts 300 ms.</summary>
public sealed class NotificationRepeatTests
{
    [Fact]
    public async Task An_open_alert_is_repeated_every_interval_until_it_is_acknowledged()
    {
        await using var receiver = WebhookReceiver.Start();
        await using var service = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:RepeatIntervalUnit"] = "00:00:00.300",
            ["Notifications:RepeatCheckInterval"] = "00:00:00.050",
        });
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        async Task<System.Text.Json.Nodes.JsonNode> Succeed(string query, object? variables = null)
        {
            var reply = await GraphQLServiceFixture.PostAsync(http, query, variables);
            Assert.True(reply.Errors.Count == 0, reply.Text);
            return reply.Data!;
        }
        await Succeed("mutation($url: String!) { createNotificationChannel(input: { name: \"repeats\", kind: WEBHOOK, url: $url, repeatIntervalMinutes: 2 }) { id } }",
            new { url = receiver.Url() });
        await Succeed("mutation { configureMonitor(modelId: \"repeat\", machineId: \"press-1\", config: { minSamples: 5 }) { modelId } }");
        await Succeed("mutation { setBaseline(modelId: \"repeat\", machineId: \"press-1\", metrics: { mae: 0.1 }) { modelId } }");
        var samples = Enumerable.Range(0, 10).Select(i => new { predicted = (double)i, actual = i + 1.0 }).ToArray();
        await Succeed("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId = "repeat", machineId = "press-1", samples } });
        var alertId = (await Succeed("{ alerts(modelId: \"repeat\") { id } }"))["alerts"]![0]!["id"]!.GetValue<string>();

        var repeated = await receiver.WaitForAsync(r => r.Count(w => w.Json["event"]!.GetValue<string>() == "REPEAT") >= 2, TimeSpan.FromSeconds(15), "two reminders");
        await Succeed("mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }", new { id = alertId });
        var acknowledgedAt = receiver.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var events = receiver.Received.Select(w => w.Json["event"]!.GetValue<string>()).ToList();
        Assert.Equal("FIRING", events[0]);
        Assert.All(events.Skip(1), e => Assert.Equal("REPEAT", e));
        // The interval is 2 "minutes" of 300 ms: no reminder is planned sooner than that after the one before (how much later depends
        // on the machine's load, so only the lower bound is the rule). When it is planned is its delivery id's time (a UUIDv7 made with
        // the delivery); when it arrives also depends on how soon the dispatcher gets to it, so on a busy machine two can arrive together.
        var planned = repeated.Select(w => PlannedAt(w.Json["deliveryId"]!.GetValue<string>())).ToList();
        Assert.All(planned.Zip(planned.Skip(1)), p => Assert.True((p.Second - p.First).TotalSeconds >= 0.55, $"a reminder planned {(p.Second - p.First).TotalSeconds:F3} s after the last"));
        Assert.DoesNotContain(receiver.Received, w => w.At > acknowledgedAt + TimeSpan.FromSeconds(0.5));
        Assert.All(receiver.Received, w => Assert.Equal(alertId, w.Json["alert"]!["id"]!.GetValue<string>()));
    }

    /// <summary>The millisecond a UUIDv7 was made: its first 48 bits.</summary>
    private static DateTimeOffset PlannedAt(string deliveryId)
    {
        var id = Guid.Parse(deliveryId);
        Assert.Equal(7, id.Version);
        return DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id.ToString("N")[..12], 16));
    }
}
