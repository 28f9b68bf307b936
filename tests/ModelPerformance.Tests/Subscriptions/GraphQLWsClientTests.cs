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

    [Fact]
    public async Task Each_applied_evaluation_is_published_once_and_a_duplicate_not_at_all()
    {
        var modelId = Events.NewId("ws");
        await using var subscriber = await NodeSubscriber.StartAsync(fixture.Service.BaseAddress, EvaluationRecorded, new { modelId, machineId = "press-1" }, count: 3);

        var first = await RecordEvaluationAsync(fixture.Http, modelId, "press-1", rmse: 1, evaluationId: "e-1");
        await RecordEvaluationAsync(fixture.Http, modelId, "press-1", rmse: 1, evaluationId: "e-1");
        var batch = await PostAsync(fixture.Http, """
            mutation Predictions($input: RecordPredictionsInput!) { recordPredictions(input: $input) { evaluation { id } } }
            """, new { input = new { modelId, machineId = "press-1", samples = new[] { new { predicted = 1.0, actual = 2.0 }, new { predicted = 3.0, actual = 3.0 } } } });
        var last = await RecordEvaluationAsync(fixture.Http, modelId, "press-1", rmse: 2, evaluationId: "e-2");
        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await subscriber.NextAsync())["data"]!["evaluationRecorded"]!["id"]!.GetValue<string>());
        }
        await subscriber.CompleteAsync();

        string[] expected = [first["id"]!.GetValue<string>(), batch["recordPredictions"]!["evaluation"]!["id"]!.GetValue<string>(), last["id"]!.GetValue<string>()];
        Assert.Equal(expected, received);
    }

    /// <summary>Records one evaluation through GraphQL over HTTP and returns it as the mutation answered.</summary>
    public static async Task<JsonNode> RecordEvaluationAsync(HttpClient http, string modelId, string machineId, double rmse, string? evaluationId = null)
    {
        var data = await PostAsync(http, """
            mutation Record($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }
            """, new { input = new { evaluationId, modelId, machineId, sampleCount = 10, metrics = new { rmse } } });
        return data["recordEvaluation"]!;
    }

    public static async Task<JsonNode> PostAsync(HttpClient http, string query, object variables)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }
}
