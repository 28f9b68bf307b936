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
}
