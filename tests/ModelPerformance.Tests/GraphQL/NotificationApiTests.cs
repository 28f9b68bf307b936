using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>
/// Alert notifications end to end: real alerts raised through the API, sent by the service to real HTTP receivers on loopback. Every
/// channel here routes only its own test's machine, so tests sharing the service do not hear each other.
/// </summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class NotificationApiTests(GraphQLServiceFixture fixture) : IAsyncLifetime
{
    private const string CreateChannel = """
        mutation($input: NotificationChannelInput!) {
          createNotificationChannel(input: $input) { id name kind url minSeverity types machineIds modelTypes repeatIntervalMinutes signed enabled createdAt }
        }
        """;

    private const string Deliveries = """
        query($alertId: ID, $channelId: ID, $status: DeliveryStatus) {
          notificationDeliveries(alertId: $alertId, channelId: $channelId, status: $status) { id channelId alertId event status attempts createdAt lastAttemptAt responseStatus error }
        }
        """;

    private const string AlertFields =
        "id modelId machineId modelType type severity status message details createdAt lastSeenAt occurrences acknowledgedAt resolvedAt resolvedBy resolutionNote autoAction";

    private readonly ConcurrentDictionary<string, int> attemptsByDelivery = new();
    private WebhookReceiver receiver = null!;

    public Task InitializeAsync()
    {
        receiver = WebhookReceiver.Start(request =>
        {
            var attempt = attemptsByDelivery.AddOrUpdate(request.Header("X-ModelPerf-Delivery") ?? "", 1, (_, n) => n + 1);
            return request.Path switch
            {
                "flaky" when attempt <= 2 => 503,
                "refuse" => 400,
                "hang" => null,
                _ => 200,
            };
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    private async Task<JsonNode> Succeed(string query, object? variables = null)
    {
        var reply = await fixture.PostAsync(query, variables);
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!;
    }

    private async Task<string> ChannelAsync(string machineId, string path = "hook", string kind = "WEBHOOK", string? secret = null, object? extra = null)
    {
        var input = new JsonObject { ["name"] = $"{path} for {machineId}", ["kind"] = kind, ["url"] = receiver.Url(path), ["machineIds"] = new JsonArray(machineId) };
        if (secret is not null)
        {
            input["secret"] = secret;
        }
        foreach (var (k, v) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra ?? new { }))!.AsObject())
        {
            input[k] = v?.DeepClone();
        }
        return (await Succeed(CreateChannel, new { input }))["createNotificationChannel"]!["id"]!.GetValue<string>();
    }

    /// <summary>Opens a CRITICAL DEGRADATION alert: a baseline MAE of 0.1, then predictions that are 1 off.</summary>
    private async Task<string> OpenAlertAsync(string modelId, string machineId)
    {
        var key = new { modelId, machineId };
        await Succeed("mutation($modelId: ID!, $machineId: ID!) { configureMonitor(modelId: $modelId, machineId: $machineId, config: { minSamples: 5 }) { modelId } }", key);
        await Succeed("mutation($modelId: ID!, $machineId: ID!) { setBaseline(modelId: $modelId, machineId: $machineId, metrics: { mae: 0.1 }) { modelId } }", key);
        var samples = Enumerable.Range(0, 10).Select(i => new { predicted = (double)i, actual = i + 1.0 }).ToArray();
        await Succeed("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }", new { input = new { modelId, machineId, samples } });
        var alerts = await Succeed("query($modelId: ID!) { alerts(modelId: $modelId, status: OPEN) { id } }", new { modelId });
        return Assert.Single(alerts["alerts"]!.AsArray())!["id"]!.GetValue<string>();
    }

    private async Task<JsonArray> DeliveriesAsync(object filter) => (await Succeed(Deliveries, filter))["notificationDeliveries"]!.AsArray();

    [Fact]
    public async Task A_signed_webhook_receives_FIRING_then_RESOLVED_with_a_signature_that_verifies()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        const string secret = "s3cret-for-tests";
        var channelId = await ChannelAsync(machineId, secret: secret);

        var alertId = await OpenAlertAsync(modelId, machineId);
        await Succeed("mutation($id: ID!) { resolveAlert(id: $id, note: \"fixed\") { status } }", new { id = alertId });
        var received = await receiver.WaitForAsync(r => r.Count(w => w.Path == "hook" && w.Json["alert"]?["id"]?.GetValue<string>() == alertId) >= 2,
            TimeSpan.FromSeconds(15), "FIRING and RESOLVED at the webhook");

        var mine = received.Where(w => w.Json["alert"]?["id"]?.GetValue<string>() == alertId).ToList();
        Assert.Equal(["FIRING", "RESOLVED"], mine.Select(w => w.Json["event"]!.GetValue<string>()));
        foreach (var webhook in mine)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), webhook.Body));
            Assert.Equal(expected, webhook.Header("X-ModelPerf-Signature"));
            Assert.Equal(webhook.Json["deliveryId"]!.GetValue<string>(), webhook.Header("X-ModelPerf-Delivery"));
            Assert.StartsWith("application/json", webhook.Header("Content-Type"));
            Assert.True(DateTime.Parse(webhook.Json["sentAt"]!.GetValue<string>()).Kind == DateTimeKind.Utc || webhook.Json["sentAt"]!.GetValue<string>().EndsWith('Z'));
            var alert = webhook.Json["alert"]!;
            Assert.Equal((modelId, machineId, "DEGRADATION", "CRITICAL"), (alert["modelId"]!.GetValue<string>(), alert["machineId"]!.GetValue<string>(),
                alert["type"]!.GetValue<string>(), alert["severity"]!.GetValue<string>()));
        }
        // The body's alert is the Alert as the API shows it, field for field.
        var shown = (await Succeed($"query($id: ID!) {{ alert(id: $id) {{ {AlertFields} }} }}", new { id = alertId }))["alert"]!;
        Assert.True(JsonNode.DeepEquals(shown, mine[1].Json["alert"]), $"{shown.ToJsonString()}\n{mine[1].Json["alert"]!.ToJsonString()}");
        Assert.Equal(AlertFields.Split(' '), mine[0].Json["alert"]!.AsObject().Select(p => p.Key));
        Assert.Equal(("OPEN", "RESOLVED"), (mine[0].Json["alert"]!["status"]!.GetValue<string>(), mine[1].Json["alert"]!["status"]!.GetValue<string>()));
        Assert.Equal("fixed", mine[1].Json["alert"]!["resolutionNote"]!.GetValue<string>());
        var deliveries = await Eventually.MatchAsync(() => DeliveriesAsync(new { alertId }), d => d.All(x => x!["status"]!.GetValue<string>() == "DELIVERED"),
            TimeSpan.FromSeconds(5), "both deliveries recorded DELIVERED");
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((channelId, 1, 200), (d!["channelId"]!.GetValue<string>(), d["attempts"]!.GetValue<int>(), d["responseStatus"]!.GetValue<int>())));
        Assert.Equal(["RESOLVED", "FIRING"], deliveries.Select(d => d!["event"]!.GetValue<string>()));
        var tampered = mine[0].Body.ToArray();
        tampered[^2] ^= 1;
        Assert.NotEqual(mine[0].Header("X-ModelPerf-Signature"), "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), tampered)));
    }

    [Fact]
    public async Task A_receiver_that_answers_503_twice_gets_the_same_deliveryId_three_times_and_the_delivery_ends_DELIVERED()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        await ChannelAsync(machineId, "flaky");

        var alertId = await OpenAlertAsync(modelId, machineId);
        var received = await receiver.WaitForAsync(r => r.Count(w => w.Path == "flaky" && w.Json["alert"]?["id"]?.GetValue<string>() == alertId) >= 3,
            TimeSpan.FromSeconds(20), "three attempts at the flaky receiver");
        var delivery = await Eventually.MatchAsync(async () => (await DeliveriesAsync(new { alertId }))[0]!, d => d["status"]!.GetValue<string>() == "DELIVERED",
            TimeSpan.FromSeconds(5), "the delivery DELIVERED");

        var attempts = received.Where(w => w.Path == "flaky" && w.Json["alert"]?["id"]?.GetValue<string>() == alertId).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Header("X-ModelPerf-Delivery")).Distinct());
        Assert.Equal(delivery["id"]!.GetValue<string>(), attempts[0].Header("X-ModelPerf-Delivery"));
        Assert.Equal((3, 200), (delivery["attempts"]!.GetValue<int>(), delivery["responseStatus"]!.GetValue<int>()));
        // Backoff of 1 s, then 2 s (SEMANTICS.md), measured at the receiver: never sooner (later only by the machine's load).
        Assert.True((attempts[1].At - attempts[0].At).TotalSeconds >= 0.95, $"second attempt {(attempts[1].At - attempts[0].At).TotalSeconds:F2} s after the first");
        Assert.True((attempts[2].At - attempts[1].At).TotalSeconds >= 1.95, $"third attempt {(attempts[2].At - attempts[1].At).TotalSeconds:F2} s after the second");
    }

    [Fact]
    public async Task A_receiver_that_answers_400_fails_the_delivery_at_once_with_its_answer()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        await ChannelAsync(machineId, "refuse");

        var alertId = await OpenAlertAsync(modelId, machineId);
        var delivery = await Eventually.MatchAsync(async () => (await DeliveriesAsync(new { alertId }))[0]!, d => d["status"]!.GetValue<string>() != "PENDING",
            TimeSpan.FromSeconds(10), "the delivery decided");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(("FAILED", 1, 400), (delivery["status"]!.GetValue<string>(), delivery["attempts"]!.GetValue<int>(), delivery["responseStatus"]!.GetValue<int>()));
        Assert.Contains("receiver says 400", delivery["error"]!.GetValue<string>());
        Assert.Single(receiver.Received, w => w.Path == "refuse" && w.Json["alert"]?["id"]?.GetValue<string>() == alertId);
    }

    [Fact]
    public async Task A_silenced_alert_is_recorded_SILENCED_and_sends_nothing()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        var channelId = await ChannelAsync(machineId, "quiet");
        var silence = (await Succeed("""
            mutation($input: SilenceInput!) { createSilence(input: $input) { id machineId startsAt endsAt createdBy comment active } }
            """, new { input = new { machineId, durationMinutes = 60, comment = "maintenance" } }))["createSilence"]!;

        var alertId = await OpenAlertAsync(modelId, machineId);
        // A TEST to the same channel afterwards shows the dispatcher has run past the silenced event.
        var test = (await Succeed("mutation($id: ID!) { testNotificationChannel(id: $id) { status event } }", new { id = channelId }))["testNotificationChannel"]!;

        Assert.Equal(("DELIVERED", "TEST"), (test["status"]!.GetValue<string>(), test["event"]!.GetValue<string>()));
        var delivery = Assert.Single(await DeliveriesAsync(new { alertId }))!;
        Assert.Equal(("SILENCED", 0), (delivery["status"]!.GetValue<string>(), delivery["attempts"]!.GetValue<int>()));
        Assert.Equal(["TEST"], receiver.Received.Where(w => w.Path == "quiet").Select(w => w.Json["event"]!.GetValue<string>()));
        Assert.Equal(("anonymous", "maintenance", true), (silence["createdBy"]!.GetValue<string>(), silence["comment"]!.GetValue<string>(), silence["active"]!.GetValue<bool>()));
        Assert.Equal(TimeSpan.FromMinutes(60), DateTime.Parse(silence["endsAt"]!.GetValue<string>()) - DateTime.Parse(silence["startsAt"]!.GetValue<string>()));

        var expired = (await Succeed("mutation($id: ID!) { expireSilence(id: $id) { active } }", new { id = silence["id"]!.GetValue<string>() }))["expireSilence"]!;
        var inactive = (await Succeed("{ silences(active: false) { id } }"))["silences"]!.AsArray();
        Assert.False(expired["active"]!.GetValue<bool>());
        Assert.Contains(inactive, s => s!["id"]!.GetValue<string>() == silence["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Routing_sends_an_alert_only_to_channels_whose_severity_type_and_model_type_it_matches()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        await ChannelAsync(machineId, "route-all");
        await ChannelAsync(machineId, "route-critical", extra: new { minSeverity = "CRITICAL" });
        await ChannelAsync(machineId, "route-drift", extra: new { types = new[] { "DATA_DRIFT", "CONCEPT_DRIFT" } });
        await ChannelAsync(machineId, "route-vision", extra: new { modelTypes = new[] { "vision" } });
        await ChannelAsync(machineId, "route-off", extra: new { enabled = false });
        await ChannelAsync(NewId("elsewhere"), "route-elsewhere");

        var alertId = await OpenAlertAsync(modelId, machineId);
        await receiver.WaitForAsync(r => r.Count(w => w.Path.StartsWith("route-") && w.Json["alert"]?["id"]?.GetValue<string>() == alertId) >= 2,
            TimeSpan.FromSeconds(10), "the two matching channels");
        var deliveries = await DeliveriesAsync(new { alertId });

        Assert.Equal(["route-all", "route-critical"], receiver.Received.Where(w => w.Json["alert"]?["id"]?.GetValue<string>() == alertId).Select(w => w.Path).Order());
        Assert.Equal(2, deliveries.Count);
    }

    [Fact]
    public async Task Slack_and_Teams_receive_their_own_bodies_naming_severity_monitor_message_and_dashboard_page()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        await ChannelAsync(machineId, "slack", "SLACK");
        await ChannelAsync(machineId, "teams", "TEAMS");

        var alertId = await OpenAlertAsync(modelId, machineId);
        var received = await receiver.WaitForAsync(r => r.Count(w => w.Path is "slack" or "teams" && w.Json.ToJsonString().Contains(modelId)) >= 2,
            TimeSpan.FromSeconds(10), "the Slack and Teams bodies");

        var slack = received.Single(w => w.Path == "slack" && w.Json.ToJsonString().Contains(modelId)).Json.AsObject();
        var teams = received.Single(w => w.Path == "teams" && w.Json.ToJsonString().Contains(modelId)).Json.AsObject();
        var page = $"{fixture.Service.BaseAddress.ToString().TrimEnd('/')}/ui/model-performance#/monitor/{modelId}/{machineId}";
        Assert.Equal(["text"], slack.Select(p => p.Key));
        var text = slack["text"]!.GetValue<string>();
        Assert.Contains("CRITICAL", text);
        Assert.Contains($"{modelId}/{machineId}", text);
        Assert.Contains("MAE", text);
        Assert.Contains(page, text);
        Assert.Equal(("MessageCard", "https://schema.org/extensions", "D13438"), (teams["@type"]!.GetValue<string>(), teams["@context"]!.GetValue<string>(),
            teams["themeColor"]!.GetValue<string>()));
        Assert.Contains("CRITICAL", teams["title"]!.GetValue<string>());
        Assert.Equal(teams["title"]!.GetValue<string>(), teams["summary"]!.GetValue<string>());
        Assert.Contains(page, teams["text"]!.GetValue<string>());
        Assert.Null(received.First(w => w.Path == "slack").Header("X-ModelPerf-Signature"));
        Assert.NotEmpty(alertId);
    }

    [Fact]
    public async Task A_test_event_is_sent_at_once_and_its_delivery_returned()
    {
        var machineId = NewId("press");
        var channelId = await ChannelAsync(machineId, "test-ok", secret: "k");
        var refusingId = await ChannelAsync(machineId, "refuse");

        var test = (await Succeed("mutation($id: ID!) { testNotificationChannel(id: $id) { id channelId alertId event status attempts responseStatus error } }",
            new { id = channelId }))["testNotificationChannel"]!;
        var refused = (await Succeed("mutation($id: ID!) { testNotificationChannel(id: $id) { status responseStatus error } }", new { id = refusingId }))["testNotificationChannel"]!;
        var unknown = await fixture.PostAsync("mutation { testNotificationChannel(id: \"00000000-0000-0000-0000-000000000000\") { id } }");

        Assert.Equal((channelId, "TEST", "DELIVERED", 1, 200), (test["channelId"]!.GetValue<string>(), test["event"]!.GetValue<string>(),
            test["status"]!.GetValue<string>(), test["attempts"]!.GetValue<int>(), test["responseStatus"]!.GetValue<int>()));
        Assert.Null(test["alertId"]);
        var webhook = Assert.Single(receiver.Received, w => w.Path == "test-ok");
        Assert.Equal(("TEST", test["id"]!.GetValue<string>()), (webhook.Json["event"]!.GetValue<string>(), webhook.Json["deliveryId"]!.GetValue<string>()));
        Assert.Null(webhook.Json["alert"]);
        Assert.NotNull(webhook.Header("X-ModelPerf-Signature"));
        Assert.Equal(("FAILED", 400), (refused["status"]!.GetValue<string>(), refused["responseStatus"]!.GetValue<int>()));
        Assert.Equal(("NOT_FOUND", "id"), (unknown.Code, unknown.InputPath));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_holds_up_neither_another_channel_nor_ingestion()
    {
        var (modelId, machineId) = (NewId("notify"), NewId("press"));
        await ChannelAsync(machineId, "hang");
        await ChannelAsync(machineId, "beside-hang");

        var alertId = await OpenAlertAsync(modelId, machineId);
        await receiver.WaitForAsync(r => r.Any(w => w.Path == "beside-hang" && w.Json["alert"]?["id"]?.GetValue<string>() == alertId),
            TimeSpan.FromSeconds(5), "the healthy channel's delivery while the other hangs");
        var evaluations = Enumerable.Range(0, 200).Select(i => new { modelId, machineId, metrics = new { mae = 1.0 + i % 3 } }).ToArray();
        var ingested = await Succeed("mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs = evaluations });

        Assert.Equal(200, ingested["recordEvaluations"]!["accepted"]!.GetValue<int>());
        Assert.Contains(receiver.Received, w => w.Path == "hang");
        var pending = await DeliveriesAsync(new { alertId, status = "PENDING" });
        Assert.Equal(0, Assert.Single(pending)!["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_channel_and_silence_inputs_name_their_field_and_store_nothing()
    {
        var machineId = NewId("press");
        var before = (await Succeed("{ notificationChannels { id } }"))["notificationChannels"]!.AsArray().Count;
        var cases = new (object Input, string Path)[]
        {
            (new { name = " ", kind = "WEBHOOK", url = receiver.Url() }, "input/name"),
            (new { name = "x", kind = "WEBHOOK", url = "ftp://example.com/x" }, "input/url"),
            (new { name = "x", kind = "WEBHOOK", url = "not a url" }, "input/url"),
            (new { name = "x", kind = "SLACK", url = receiver.Url(), secret = "k" }, "input/secret"),
            (new { name = "x", kind = "WEBHOOK", url = receiver.Url(), machineIds = Array.Empty<string>() }, "input/machineIds"),
            (new { name = "x", kind = "WEBHOOK", url = receiver.Url(), machineIds = new[] { machineId, "bad id" } }, "input/machineIds/1"),
            (new { name = "x", kind = "WEBHOOK", url = receiver.Url(), repeatIntervalMinutes = -1 }, "input/repeatIntervalMinutes"),
            (new { name = "x", kind = "WEBHOOK", url = receiver.Url(), repeatIntervalMinutes = 20_000 }, "input/repeatIntervalMinutes"),
        };
        foreach (var (input, path) in cases)
        {
            var reply = await fixture.PostAsync(CreateChannel, new { input });
            Assert.True(reply.Errors.Count == 1 && reply.Code == "BAD_USER_INPUT" && reply.InputPath == path, $"{path}: {reply.Text}");
        }
        var silences = new (object Input, string Path)[]
        {
            (new { durationMinutes = 10 }, "input"),
            (new { machineId, durationMinutes = 0 }, "input/durationMinutes"),
            (new { machineId, durationMinutes = 31 * 24 * 60 + 1 }, "input/durationMinutes"),
            (new { machineId = "bad id", durationMinutes = 10 }, "input/machineId"),
            (new { machineId, durationMinutes = 10, comment = new string('c', 2001) }, "input/comment"),
        };
        var silencesBefore = (await Succeed("{ silences { id } }"))["silences"]!.AsArray().Count;
        foreach (var (input, path) in silences)
        {
            var reply = await fixture.PostAsync("mutation($input: SilenceInput!) { createSilence(input: $input) { id } }", new { input });
            Assert.True(reply.Errors.Count == 1 && reply.Code == "BAD_USER_INPUT" && reply.InputPath == path, $"{path}: {reply.Text}");
        }
        var missing = await fixture.PostAsync("mutation { expireSilence(id: \"00000000-0000-0000-0000-000000000000\") { id } }");
        var badDeliveries = await fixture.PostAsync("{ notificationDeliveries(first: 1001) { id } }");

        Assert.Equal(before, (await Succeed("{ notificationChannels { id } }"))["notificationChannels"]!.AsArray().Count);
        Assert.Equal(silencesBefore, (await Succeed("{ silences { id } }"))["silences"]!.AsArray().Count);
        Assert.Equal("NOT_FOUND", missing.Code);
        Assert.Equal(("BAD_USER_INPUT", "first"), (badDeliveries.Code, badDeliveries.InputPath));
    }

    [Fact]
    public async Task A_channel_is_created_with_defaults_updated_keeping_its_secret_and_deleted()
    {
        var machineId = NewId("press");
        var created = (await Succeed(CreateChannel, new { input = new { name = "ops", kind = "WEBHOOK", url = receiver.Url("crud"), secret = "k1" } }))["createNotificationChannel"]!;
        var id = created["id"]!.GetValue<string>();
        const string Update = "mutation($id: ID!, $input: NotificationChannelInput!) { updateNotificationChannel(id: $id, input: $input) { name minSeverity machineIds signed enabled createdAt } }";

        var kept = (await Succeed(Update, new { id, input = new { name = "ops 2", kind = "WEBHOOK", url = receiver.Url("crud"), machineIds = new[] { machineId }, minSeverity = "CRITICAL" } }))["updateNotificationChannel"]!;
        var removed = (await Succeed(Update, new { id, input = new { name = "ops 3", kind = "WEBHOOK", url = receiver.Url("crud"), secret = "" } }))["updateNotificationChannel"]!;
        var listed = (await Succeed("{ notificationChannels { id name } }"))["notificationChannels"]!.AsArray();
        var deleted = (await Succeed("mutation($id: ID!) { deleteNotificationChannel(id: $id) }", new { id }))["deleteNotificationChannel"]!;
        var again = await fixture.PostAsync("mutation($id: ID!) { deleteNotificationChannel(id: $id) }", new { id });
        var unknownUpdate = await fixture.PostAsync(Update, new { id, input = new { name = "x", kind = "WEBHOOK", url = receiver.Url() } });

        Assert.Equal(("WARNING", 240, true, true, receiver.Url("crud")), (created["minSeverity"]!.GetValue<string>(), created["repeatIntervalMinutes"]!.GetValue<int>(),
            created["signed"]!.GetValue<bool>(), created["enabled"]!.GetValue<bool>(), created["url"]!.GetValue<string>()));
        Assert.Null(created["types"]);
        Assert.Equal(("ops 2", "CRITICAL", true), (kept["name"]!.GetValue<string>(), kept["minSeverity"]!.GetValue<string>(), kept["signed"]!.GetValue<bool>()));
        Assert.Equal(created["createdAt"]!.GetValue<string>(), kept["createdAt"]!.GetValue<string>());
        Assert.False(removed["signed"]!.GetValue<bool>());
        Assert.Contains(listed, c => c!["id"]!.GetValue<string>() == id && c["name"]!.GetValue<string>() == "ops 3");
        Assert.True(deleted.GetValue<bool>());
        Assert.Equal("NOT_FOUND", again.Code);
        Assert.Equal("NOT_FOUND", unknownUpdate.Code);
        Assert.DoesNotContain((await Succeed("{ notificationChannels { id } }"))["notificationChannels"]!.AsArray(), c => c!["id"]!.GetValue<string>() == id);
    }
}
