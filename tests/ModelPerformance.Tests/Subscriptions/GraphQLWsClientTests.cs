using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>The npm graphql-ws client, as browsers and Banana Cake Pop use it, against one in-memory silo.</summary>
[Collection(SubscriptionServiceCollection.Name)]
public sealed class GraphQLWsClientTests(SubscriptionServiceFixture fixture)
{
    public const string EvaluationRecorded = """
        subscription Evaluations($modelId: ID!, $machineId: ID!) {
          evaluationRecorded(modelId: $modelId, machineId: $machineId) { id modelId machineId sampleCount metrics { rmse } }
        }
        """;

    [Fact]
    public async Task A_subscriber_receives_the_evaluation_that_a_mutation_records()
    {
        var modelId = Events.NewId("ws");
        await using var subscriber = await NodeSubscriber.StartAsync(fixture.Service.BaseAddress, EvaluationRecorded, new { modelId, machineId = "press-1" }, count: 1);

        var recorded = await RecordEvaluationAsync(fixture.Http, modelId, "press-1", rmse: 3.25);
        var received = (await subscriber.NextAsync())["data"]!["evaluationRecorded"]!;
        await subscriber.CompleteAsync();

        Assert.Equal(recorded["id"]!.GetValue<string>(), received["id"]!.GetValue<string>());
        Assert.Equal(modelId, received["modelId"]!.GetValue<string>());
        Assert.Equal("press-1", received["machineId"]!.GetValue<string>());
        Assert.Equal(3.25, received["metrics"]!["rmse"]!.GetValue<double>());
    }

    /// <summary>Records one evaluation through GraphQL over HTTP and returns it as the mutation answered.</summary>
    public static async Task<JsonNode> RecordEvaluationAsync(HttpClient http, string modelId, string machineId, double rmse)
    {
        const string mutation = """
            mutation Record($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }
            """;
        using var response = await http.PostAsJsonAsync("/graphql", new
        {
            query = mutation,
            variables = new { input = new { modelId, machineId, sampleCount = 10, metrics = new { rmse } } },
        });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["recordEvaluation"]!;
    }
}
