using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>
/// The subscription fields' filters, fed by publishing into the hub directly. Each test publishes what the
/// filter must drop before what it must pass: events reach a subscription in order, so the first one
/// delivered shows that everything before it was dropped.
/// </summary>
[Collection(SubscriptionServiceCollection.Name)]
public sealed class SubscriptionFilterTests(SubscriptionServiceFixture fixture)
{
    private EventHub Hub => fixture.Hub;

    [Fact]
    public async Task EvaluationRecorded_delivers_only_the_evaluations_of_its_monitor()
    {
        var modelId = Events.NewId("eval");
        await using var client = await SubscribeAsync("subscription($m: ID!) { evaluationRecorded(modelId: $m, machineId: \"press-1\") { id } }", new { m = modelId });

        Hub.Publish(new EvaluationRecorded(Events.Evaluation(modelId, "press-2")));
        Hub.Publish(new EvaluationRecorded(Events.Evaluation(modelId + "x", "press-1")));
        Hub.Publish(new AlertRaised(Events.Alert(modelId, "press-1")));
        var wanted = Events.Evaluation(modelId, "press-1");
        Hub.Publish(new EvaluationRecorded(wanted));

        Assert.Equal(wanted.Id.ToString(), await NextIdAsync(client, "evaluationRecorded"));
    }

    [Fact]
    public async Task AlertRaised_filters_by_machine_and_minimum_severity()
    {
        var modelId = Events.NewId("alert");
        await using var client = await SubscribeAsync(
            "subscription($m: ID!) { alertRaised(modelId: $m, machineId: \"press-1\", minSeverity: WARNING) { id severity } }", new { m = modelId });

        Hub.Publish(new AlertRaised(Events.Alert(modelId, "press-2", severity: Severity.Critical)));
        Hub.Publish(new AlertRaised(Events.Alert(modelId, "press-1", severity: Severity.Info)));
        Hub.Publish(new AlertChanged(Events.Alert(modelId, "press-1", severity: Severity.Critical, status: AlertStatus.Acknowledged)));
        var warning = Events.Alert(modelId, "press-1", severity: Severity.Warning);
        var critical = Events.Alert(modelId, "press-1", severity: Severity.Critical);
        Hub.Publish(new AlertRaised(warning));
        Hub.Publish(new AlertRaised(critical));

        Assert.Equal(warning.Id.ToString(), await NextIdAsync(client, "alertRaised"));
        Assert.Equal(critical.Id.ToString(), await NextIdAsync(client, "alertRaised"));
    }

    [Fact]
    public async Task AlertRaised_without_arguments_delivers_every_new_alert_from_info_up()
    {
        await using var client = await SubscribeAsync("subscription { alertRaised { id } }");

        Hub.Publish(new AlertChanged(Events.Alert(Events.NewId("any"), "press-1")));
        var info = Events.Alert(Events.NewId("any"), "press-9", severity: Severity.Info);
        Hub.Publish(new AlertRaised(info));

        Assert.Equal(info.Id.ToString(), await NextIdAsync(client, "alertRaised"));
    }

    [Fact]
    public async Task AlertChanged_filters_by_model_type()
    {
        var modelId = Events.NewId("changed");
        await using var client = await SubscribeAsync("subscription { alertChanged(modelType: \"forecast\") { id status } }");

        Hub.Publish(new AlertChanged(Events.Alert(modelId, "press-1", modelType: "energy", status: AlertStatus.Resolved)));
        Hub.Publish(new AlertRaised(Events.Alert(modelId, "press-1", modelType: "forecast")));
        var resolved = Events.Alert(modelId, "press-1", modelType: "forecast", status: AlertStatus.Resolved);
        Hub.Publish(new AlertChanged(resolved));

        Assert.Equal(resolved.Id.ToString(), await NextIdAsync(client, "alertChanged"));
    }

    [Fact]
    public async Task TrainingJobUpdated_filters_by_model_and_machine()
    {
        var modelId = Events.NewId("job");
        await using var client = await SubscribeAsync("subscription($m: ID!) { trainingJobUpdated(modelId: $m, machineId: \"press-1\") { id } }", new { m = modelId });

        Hub.Publish(new TrainingJobUpdated(Events.Job(modelId, "press-2")));
        var job = Events.Job(modelId, "press-1");
        Hub.Publish(new TrainingJobUpdated(job));

        Assert.Equal(job.Id.ToString(), await NextIdAsync(client, "trainingJobUpdated"));
    }

    [Fact]
    public async Task AbTestUpdated_filters_by_test_id()
    {
        var modelId = Events.NewId("ab");
        var test = Events.Test(modelId, "press-1");
        await using var client = await SubscribeAsync("subscription($id: ID!) { abTestUpdated(id: $id) { id } }", new { id = test.Id });

        Hub.Publish(new AbTestUpdated(Events.Test(modelId, "press-1")));
        Hub.Publish(new AbTestUpdated(test));

        Assert.Equal(test.Id.ToString(), await NextIdAsync(client, "abTestUpdated"));
    }

    [Fact]
    public async Task AbTestUpdated_filters_by_model()
    {
        var modelId = Events.NewId("ab");
        await using var client = await SubscribeAsync("subscription($m: ID!) { abTestUpdated(modelId: $m) { id } }", new { m = modelId });

        Hub.Publish(new AbTestUpdated(Events.Test(modelId + "x", "press-1")));
        var test = Events.Test(modelId, "press-1");
        Hub.Publish(new AbTestUpdated(test));

        Assert.Equal(test.Id.ToString(), await NextIdAsync(client, "abTestUpdated"));
    }

    [Fact]
    public async Task AbTestUpdated_with_an_id_that_is_no_uuid_is_bad_input()
    {
        await using var client = await WebSocketClient.ConnectAndInitAsync(fixture.Service.BaseAddress);

        await client.SubscribeAsync("s", "subscription { abTestUpdated(id: \"nope\") { id } }");
        var next = await client.ReceiveAsync();

        Assert.Equal("BAD_USER_INPUT", next!["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    private async Task<WebSocketClient> SubscribeAsync(string query, object? variables = null)
    {
        var client = await WebSocketClient.ConnectAndInitAsync(fixture.Service.BaseAddress);
        await client.SubscribeAsync("s", query, variables);
        await client.SyncAsync();
        return client;
    }

    private static async Task<string> NextIdAsync(WebSocketClient client, string field)
    {
        var next = await client.ReceiveAsync();
        // The whole message in the failure, so a rare failure says what arrived instead.
        var id = next?["type"]?.GetValue<string>() == "next" ? next["payload"]?["data"]?[field]?["id"]?.GetValue<string>() : null;
        Assert.True(id is not null, $"expected a next with {field}.id, got: {next?.ToJsonString() ?? $"socket closed ({client.CloseStatus})"}");
        return id!;
    }
}
