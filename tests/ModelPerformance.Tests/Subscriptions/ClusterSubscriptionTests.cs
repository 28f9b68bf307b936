using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>Events across silos: two silos of one cluster on PostgreSQL, each with its own subscribers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterSubscriptionTests(PostgresServer postgres)
{
    [Fact]
    public async Task Subscribers_on_every_silo_receive_each_evaluation_once_and_in_order()
    {
        var connectionString = await postgres.CreateDatabaseAsync("events");
        var clusterId = Events.NewId("events");
        await using var siloA = await RunningService.StartAsync(connectionString, clusterId);
        await using var siloB = await RunningService.StartAsync(connectionString, clusterId);
        using var httpB = new HttpClient { BaseAddress = siloB.BaseAddress };
        var modelId = Events.NewId("cluster");
        var variables = new { modelId, machineId = "press-1" };
        await using var onA = await NodeSubscriber.StartAsync(siloA.BaseAddress, GraphQLWsClientTests.EvaluationRecorded, variables, count: 2);
        await using var onB = await NodeSubscriber.StartAsync(siloB.BaseAddress, GraphQLWsClientTests.EvaluationRecorded, variables, count: 2);

        var first = await GraphQLWsClientTests.RecordEvaluationAsync(httpB, modelId, "press-1", rmse: 1);
        var second = await GraphQLWsClientTests.RecordEvaluationAsync(httpB, modelId, "press-1", rmse: 2);

        string[] expected = [first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>()];
        foreach (var subscriber in new[] { onA, onB })
        {
            var received = new[] { await subscriber.NextAsync(), await subscriber.NextAsync() }
                .Select(e => e["data"]!["evaluationRecorded"]!["id"]!.GetValue<string>());
            Assert.Equal(expected, received);
            await subscriber.CompleteAsync();
        }
    }

    [Fact]
    public async Task A_subscriber_on_one_silo_receives_the_alert_raised_by_a_mutation_sent_to_another()
    {
        var connectionString = await postgres.CreateDatabaseAsync("alertevents");
        var clusterId = Events.NewId("alerts");
        await using var siloA = await RunningService.StartAsync(connectionString, clusterId);
        await using var siloB = await RunningService.StartAsync(connectionString, clusterId);
        using var httpB = new HttpClient { BaseAddress = siloB.BaseAddress };
        var modelId = Events.NewId("degrading");
        const string alertRaised = """
            subscription Raised($modelId: ID) { alertRaised(modelId: $modelId, minSeverity: WARNING) { id modelId machineId type severity status } }
            """;
        await using var onA = await NodeSubscriber.StartAsync(siloA.BaseAddress, alertRaised, new { modelId }, count: 1);

        await GraphQLWsClientTests.PostAsync(httpB, """
            mutation Setup($modelId: ID!) {
              configureMonitor(modelId: $modelId, machineId: "press-2", config: { minSamples: 3 }) { modelId }
              recordPredictions(input: { modelId: $modelId, machineId: "press-2",
                samples: [{ predicted: 1, actual: 2 }, { predicted: 3, actual: 5 }, { predicted: 4, actual: 4 }] }) { accepted }
            }
            """, new { modelId });
        var baseline = await GraphQLWsClientTests.PostAsync(httpB, """
            mutation Baseline($modelId: ID!) { setBaseline(modelId: $modelId, machineId: "press-2", metrics: { mae: 0.1 }) { health } }
            """, new { modelId });

        var alert = (await onA.NextAsync())["data"]!["alertRaised"]!;
        Assert.Equal("CRITICAL", baseline["setBaseline"]!["health"]!.GetValue<string>());
        Assert.Equal((modelId, "press-2", "DEGRADATION", "CRITICAL", "OPEN"), (
            alert["modelId"]!.GetValue<string>(), alert["machineId"]!.GetValue<string>(), alert["type"]!.GetValue<string>(),
            alert["severity"]!.GetValue<string>(), alert["status"]!.GetValue<string>()));
        await onA.CompleteAsync();
    }
}
