using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Tests.Alerts;

namespace ModelPerformance.Tests.GraphQL;

[Collection(GraphQLServiceCollection.Name)]
public sealed class AlertApiTests(GraphQLServiceFixture fixture)
{
    private const string AlertsQuery = """
        query Alerts($status: AlertStatus, $severity: Severity, $type: AlertType, $machineId: ID, $modelType: String, $modelId: ID, $first: Int) {
          alerts(status: $status, severity: $severity, type: $type, machineId: $machineId, modelType: $modelType, modelId: $modelId, first: $first) {
            id modelId machineId modelType type severity status message details createdAt occurrences resolvedBy resolutionNote
          }
        }
        """;

    private const string AlertQuery = "query One($id: ID!) { alert(id: $id) { id status type details } }";

    private const string Acknowledge = "mutation Ack($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedAt } }";

    private const string Resolve = "mutation Resolve($id: ID!, $note: String) { resolveAlert(id: $id, note: $note) { id status resolvedBy resolutionNote resolvedAt } }";

    private IAlertStore Store => fixture.Service.Services.GetRequiredService<IAlertStore>();

    private static string NewModelId() => "alert-model-" + Guid.NewGuid().ToString("N")[..12];

    private static Guid[] Ids(GraphQLReply reply) =>
        reply.Data!["alerts"]!.AsArray().Select(a => Guid.Parse(a!["id"]!.GetValue<string>())).ToArray();

    [Fact]
    public async Task Alerts_are_listed_newest_first_with_every_filter_applied()
    {
        var modelId = NewModelId();
        var older = AlertStoreContract.NewAlert(modelId, "press-1", AlertType.Degradation, Severity.Critical, minutes: 1);
        var newer = AlertStoreContract.NewAlert(modelId, "press-2", AlertType.DataDrift, Severity.Warning, AlertStatus.Acknowledged, minutes: 2);
        var resolved = AlertStoreContract.NewAlert(modelId, "press-1", AlertType.Degradation, status: AlertStatus.Resolved, minutes: 3, modelType: "vision");
        foreach (var alert in new[] { older, newer, resolved })
        {
            await Store.SaveAsync(alert);
        }

        var all = await fixture.PostAsync(AlertsQuery, new { modelId });
        var open = await fixture.PostAsync(AlertsQuery, new { modelId, status = "OPEN" });
        var critical = await fixture.PostAsync(AlertsQuery, new { modelId, severity = "CRITICAL" });
        var drift = await fixture.PostAsync(AlertsQuery, new { modelId, type = "DATA_DRIFT" });
        var onPress1 = await fixture.PostAsync(AlertsQuery, new { modelId, machineId = "press-1" });
        var vision = await fixture.PostAsync(AlertsQuery, new { modelId, modelType = "vision" });
        var first = await fixture.PostAsync(AlertsQuery, new { modelId, first = 1 });

        Assert.Empty(all.Errors);
        Assert.Equal([resolved.Id, newer.Id, older.Id], Ids(all));
        Assert.Equal([older.Id], Ids(open));
        Assert.Equal([older.Id], Ids(critical));
        Assert.Equal([newer.Id], Ids(drift));
        Assert.Equal([resolved.Id, older.Id], Ids(onPress1));
        Assert.Equal([resolved.Id], Ids(vision));
        Assert.Equal([resolved.Id], Ids(first));
        var shown = all.Data!["alerts"]![2]!;
        Assert.Equal(("DEGRADATION", "CRITICAL", "OPEN", "energy"), (shown["type"]!.GetValue<string>(), shown["severity"]!.GetValue<string>(),
            shown["status"]!.GetValue<string>(), shown["modelType"]!.GetValue<string>()));
        Assert.Equal("MAE", shown["details"]!["metric"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_alert_is_found_by_id_and_an_unknown_id_is_null()
    {
        var alert = AlertStoreContract.NewAlert(NewModelId());
        await Store.SaveAsync(alert);

        var found = await fixture.PostAsync(AlertQuery, new { id = alert.Id.ToString() });
        var unknown = await fixture.PostAsync(AlertQuery, new { id = Guid.NewGuid().ToString() });

        Assert.Equal(alert.Id.ToString(), found.Data!["alert"]!["id"]!.GetValue<string>());
        Assert.Equal(0.5, found.Data!["alert"]!["details"]!["relativeChange"]!.GetValue<double>());
        Assert.Empty(unknown.Errors);
        Assert.Null(unknown.Data!["alert"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_first_outside_1_to_1000_is_bad_input(int first)
    {
        var reply = await fixture.PostAsync(AlertsQuery, new { first });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("first", reply.InputPath);
    }

    [Theory]
    [InlineData("modelId")]
    [InlineData("machineId")]
    public async Task A_malformed_monitor_id_filter_is_bad_input(string argument)
    {
        var reply = await fixture.PostAsync(AlertsQuery, new Dictionary<string, object> { [argument] = "no/slashes" });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal(argument, reply.InputPath);
    }

    [Fact]
    public async Task A_malformed_alert_id_is_bad_input()
    {
        var query = await fixture.PostAsync(AlertQuery, new { id = "not-a-uuid" });
        var mutation = await fixture.PostAsync(Acknowledge, new { id = "not-a-uuid" });

        Assert.Equal(("BAD_USER_INPUT", "id"), (query.Code, query.InputPath));
        Assert.Equal(("BAD_USER_INPUT", "id"), (mutation.Code, mutation.InputPath));
    }

    [Fact]
    public async Task Acknowledging_or_resolving_an_unknown_alert_is_not_found()
    {
        var acknowledge = await fixture.PostAsync(Acknowledge, new { id = Guid.NewGuid().ToString() });
        var resolve = await fixture.PostAsync(Resolve, new { id = Guid.NewGuid().ToString(), note = "gone" });

        Assert.Equal(("NOT_FOUND", "id"), (acknowledge.Code, acknowledge.InputPath));
        Assert.Equal(("NOT_FOUND", "id"), (resolve.Code, resolve.InputPath));
    }

    [Fact]
    public async Task Drift_checks_and_reference_resets_of_an_unknown_monitor_are_not_found()
    {
        var variables = new { modelId = NewModelId(), machineId = "press-1" };

        var check = await fixture.PostAsync("mutation($modelId: ID!, $machineId: ID!) { checkDrift(modelId: $modelId, machineId: $machineId) { checkedAt } }", variables);
        var reset = await fixture.PostAsync("mutation($modelId: ID!, $machineId: ID!) { resetReference(modelId: $modelId, machineId: $machineId) { modelId } }", variables);

        Assert.Equal("NOT_FOUND", check.Code);
        Assert.Equal("NOT_FOUND", reset.Code);
    }

    [Fact]
    public async Task A_degraded_monitor_raises_an_alert_that_is_acknowledged_then_resolved()
    {
        var modelId = NewModelId();
        var key = new { modelId, machineId = "press-9" };
        await Succeed("""
            mutation($modelId: ID!, $machineId: ID!) { configureMonitor(modelId: $modelId, machineId: $machineId, config: { minSamples: 5 }) { modelId } }
            """, key);
        await Succeed("""
            mutation($modelId: ID!, $machineId: ID!) { setBaseline(modelId: $modelId, machineId: $machineId, metrics: { mae: 0.1 }) { modelId } }
            """, key);
        var samples = Enumerable.Range(0, 10).Select(i => new { predicted = (double)i, actual = i + 1.0 }).ToArray();
        await Succeed("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-9", samples } });

        var raised = await Succeed(AlertsQuery, new { modelId, type = "DEGRADATION" });
        var alert = Assert.Single(raised["alerts"]!.AsArray())!;
        var id = alert["id"]!.GetValue<string>();
        Assert.Equal("OPEN", alert["status"]!.GetValue<string>());
        var onMonitor = await Succeed("""
            query($modelId: ID!, $machineId: ID!) { monitor(modelId: $modelId, machineId: $machineId) { alerts(status: OPEN) { id } } }
            """, key);
        Assert.Equal(id, onMonitor["monitor"]!["alerts"]![0]!["id"]!.GetValue<string>());

        var acknowledged = (await Succeed(Acknowledge, new { id }))["acknowledgeAlert"]!;
        var again = (await Succeed(Acknowledge, new { id }))["acknowledgeAlert"]!;
        Assert.Equal("ACKNOWLEDGED", acknowledged["status"]!.GetValue<string>());
        Assert.Equal("ACKNOWLEDGED", again["status"]!.GetValue<string>());
        Assert.Equal(acknowledged["acknowledgedAt"]!.GetValue<string>(), again["acknowledgedAt"]!.GetValue<string>());

        var resolved = (await Succeed(Resolve, new { id, note = "retrained by hand" }))["resolveAlert"]!;
        Assert.Equal(("RESOLVED", "anonymous", "retrained by hand"),
            (resolved["status"]!.GetValue<string>(), resolved["resolvedBy"]!.GetValue<string>(), resolved["resolutionNote"]!.GetValue<string>()));
        var stored = await Succeed(AlertQuery, new { id });
        Assert.Equal("RESOLVED", stored["alert"]!["status"]!.GetValue<string>());
        var onMonitorAfter = await Succeed("""
            query($modelId: ID!, $machineId: ID!) { monitor(modelId: $modelId, machineId: $machineId) { alerts(status: OPEN) { id } } }
            """, key);
        Assert.Empty(onMonitorAfter["monitor"]!["alerts"]!.AsArray());

        var late = await fixture.PostAsync(Acknowledge, new { id });
        Assert.Equal("BAD_USER_INPUT", late.Code);
    }

    [Fact]
    public async Task With_authentication_off_an_alert_is_resolved_by_anonymous()
    {
        var alert = await RaiseDegradationAsync();

        var resolved = (await Succeed(Resolve, new { id = alert }))["resolveAlert"]!;

        Assert.Equal("anonymous", resolved["resolvedBy"]!.GetValue<string>());
        Assert.Null(resolved["resolutionNote"]);
    }

    [Fact]
    public async Task A_drift_check_on_demand_is_the_monitors_last_drift_report()
    {
        var modelId = NewModelId();
        var key = new { modelId, machineId = "press-3" };
        var samples = Enumerable.Range(0, 20).Select(i => new { predicted = (double)i, actual = (double)i, features = new { temp = (double)i } }).ToArray();
        await Succeed("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-3", samples } });

        var check = (await Succeed("""
            mutation($modelId: ID!, $machineId: ID!) { checkDrift(modelId: $modelId, machineId: $machineId) { checkedAt currentSize conceptDrift { detector } } }
            """, key))["checkDrift"]!;
        var monitor = (await Succeed("""
            query($modelId: ID!, $machineId: ID!) { monitor(modelId: $modelId, machineId: $machineId) { drift { checkedAt currentSize conceptDrift { detector } } } }
            """, key))["monitor"]!;
        var reset = await Succeed("""
            mutation($modelId: ID!, $machineId: ID!) { resetReference(modelId: $modelId, machineId: $machineId) { modelId } }
            """, key);

        Assert.True(JsonNode.DeepEquals(check, monitor["drift"]));
        Assert.Equal(modelId, reset["resetReference"]!["modelId"]!.GetValue<string>());
    }

    /// <summary>A fresh monitor whose first batch is far worse than its baseline; returns its DEGRADATION alert's id.</summary>
    private async Task<string> RaiseDegradationAsync()
    {
        var modelId = NewModelId();
        var key = new { modelId, machineId = "press-5" };
        await Succeed("mutation($modelId: ID!, $machineId: ID!) { configureMonitor(modelId: $modelId, machineId: $machineId, config: { minSamples: 5 }) { modelId } }", key);
        await Succeed("mutation($modelId: ID!, $machineId: ID!) { setBaseline(modelId: $modelId, machineId: $machineId, metrics: { mae: 0.1 }) { modelId } }", key);
        var samples = Enumerable.Range(0, 10).Select(i => new { predicted = 0.0, actual = 2.0 }).ToArray();
        await Succeed("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-5", samples } });
        var alerts = await Succeed(AlertsQuery, new { modelId, type = "DEGRADATION", status = "OPEN" });
        return Assert.Single(alerts["alerts"]!.AsArray())!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> Succeed(string query, object variables)
    {
        var reply = await PostAsync(query, variables);
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!;
    }

    private async Task<GraphQLReply> PostAsync(string query, object variables)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GraphQLServiceFixture.GraphQLResponse));
        return await fixture.SendAsync(request);
    }
}
