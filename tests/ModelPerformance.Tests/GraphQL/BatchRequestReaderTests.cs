using System.Text;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>
/// The HTTP transport's own reading of batch variables against GraphQL.NET's: what it accepts must come out exactly
/// as GraphQL.NET's coercion of the same JSON, and what it does not know it must leave to GraphQL.NET.
/// </summary>
public sealed class BatchRequestReaderTests
{
    private const string Query = "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }";

    private const string Full = """
        {"evaluationId": "e-1", "modelId": "model-1", "machineId": "press\u002D7", "modelType": "baseline", "task": "REGRESSION",
         "modelVersion": "v2", "evaluatedAt": "2026-11-26T20:00:00.1234567+01:30", "sampleCount": 250,
         "metrics": {"rSquared": -3.5, "rmse": 2, "mae": 1.25e-3, "mape": null}}
        """;

    private static async Task<BatchRequestReader> ReaderAsync(params string[] seen)
    {
        var documents = new ValidatedDocumentCache();
        foreach (var query in seen)
        {
            await documents.ExecuteAsync(new ExecutionOptions { Query = query },
                _ => Task.FromResult(new ExecutionResult { Executed = true, Document = GraphQLParser.Parser.Parse(query) }));
        }
        return new BatchRequestReader(documents);
    }

    private static byte[] Body(string inputs, string query = Query, string rest = "") =>
        Encoding.UTF8.GetBytes($$"""{"query": {{System.Text.Json.JsonSerializer.Serialize(query)}}, "variables": {"inputs": {{inputs}}}{{rest}}}""");

    /// <summary>What GraphQL.NET makes of the same variables: its coercion by the service's input types, then the resolver's mapping.</summary>
    private static async Task<EvaluationFields[]?> CoercedByGraphQLNetAsync(string inputs)
    {
        EvaluationFields[]? coerced = null;
        var mutation = new ObjectGraphType { Name = "Mutation" };
        mutation.Field<IntGraphType>("recordEvaluations")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<RecordEvaluationInputGraphType>>>>("inputs")
            .Resolve(c =>
            {
                coerced = c.GetArgument<List<object?>>("inputs").Select(i => EvaluationFields.Of((IReadOnlyDictionary<string, object?>)i!)).ToArray();
                return coerced.Length;
            });
        var query = new ObjectGraphType { Name = "Query" };
        query.Field<IntGraphType>("ok").Resolve(_ => 1);
        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions
        {
            Schema = new Schema { Query = query, Mutation = mutation },
            Query = "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) }",
            Variables = new GraphQLSerializer().Deserialize<Inputs>($$"""{"inputs": {{inputs}}}"""),
        });
        return result.Errors is { Count: > 0 } ? null : coerced;
    }

    [Theory]
    [InlineData($"[{Full}]")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"accuracy": 1, "f1": 0.5}, "task": "CLASSIFICATION", "evaluatedAt": "2026-01-01 00:00:00Z"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {}, "evaluationId": null, "sampleCount": null, "evaluatedAt": null, "task": null}]""")]
    [InlineData("""[{"metrics": {"rmse": 1}, "machineId": "x", "modelId": ""}, {"modelId": "m2", "machineId": "x", "metrics": {"rmse": 12345678901234567890}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "evaluatedAt": "2026-11-26T20:00:00\u002B01:00"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "sampleCount": -4, "metrics": {"rmse": -1}, "evaluatedAt": "1999-12-31T23:00:00-02:00"}]""")]
    public async Task What_it_reads_is_what_GraphQL_NET_coerces(string inputs)
    {
        var reader = await ReaderAsync(Query);

        var read = reader.TryRead(Body(inputs));

        Assert.NotNull(read);
        var expected = await CoercedByGraphQLNetAsync(inputs);
        Assert.NotNull(expected);
        Assert.Equal(expected, Assert.IsType<EvaluationFields[]>(read.Value.Variables.Values["inputs"]));
        Assert.Equal(Query, read.Value.Request.Query);
        Assert.Empty((System.Collections.ICollection)read.Value.Variables.Placeholders()["inputs"]!);
    }

    [Fact]
    public async Task The_fields_keep_their_types_and_the_instant_is_in_UTC()
    {
        var read = (await ReaderAsync(Query)).TryRead(Body($"[{Full}]"));

        var fields = Assert.Single((EvaluationFields[])read!.Value.Variables.Values["inputs"]!);
        Assert.Equal(new EvaluationFields("e-1", "model-1", "press-7", "baseline", ModelTask.Regression, "v2",
            new DateTime(2026, 11, 26, 18, 30, 0, DateTimeKind.Utc).AddTicks(1234567), 250, new MetricSet(-3.5, 2, 0.00125)), fields);
        Assert.Equal(DateTimeKind.Utc, fields.EvaluatedAt!.Value.Kind);
    }

    [Theory]
    [InlineData("""[{"modelId": 7, "machineId": "x", "metrics": {"rmse": 1}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "color": "red"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1, "loss": 2}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "sampleCount": 1.5}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "sampleCount": 3000000000}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": "1"}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1e400}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": null}]""")]
    [InlineData("""[{"modelId": "m", "machineId": null, "metrics": {"rmse": 1}}]""")]
    [InlineData("""[{"modelId": "m", "metrics": {"rmse": 1}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "task": "FORECAST"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "evaluatedAt": "2026-11-26T20:00:00"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "evaluatedAt": "2026-11-26T20:00:00.000000000000000000000000000000000000Z"}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}, "modelType": 3}]""")]
    [InlineData("""[{"modelId": "m", "modelId": "n", "machineId": "x", "metrics": {"rmse": 1}}]""")]
    [InlineData("""[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}}, null]""")]
    [InlineData("""{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}}""")]
    [InlineData("null")]
    public async Task What_it_does_not_know_it_leaves_to_GraphQL_NET(string inputs)
    {
        var reader = await ReaderAsync(Query);

        Assert.Null(reader.TryRead(Body(inputs)));
    }

    [Fact]
    public async Task A_document_not_seen_yet_other_variables_extensions_and_a_foreign_operation_name_are_left_to_GraphQL_NET()
    {
        const string inputs = """[{"modelId": "m", "machineId": "x", "metrics": {"rmse": 1}}]""";
        const string twoOperations = Query + " mutation S($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { duplicates } }";
        const string otherVariable = "mutation R($inputs: [RecordEvaluationInput!]!, $first: Int) { recordEvaluations(inputs: $inputs) { accepted } }";
        var reader = await ReaderAsync(Query, twoOperations, otherVariable);

        Assert.NotNull(reader.TryRead(Body(inputs)));
        Assert.Null((await ReaderAsync()).TryRead(Body(inputs)));
        Assert.Null(reader.TryRead(Body(inputs, rest: """, "extensions": {"persistedQuery": {}}""")));
        Assert.Null(reader.TryRead(Body(inputs, rest: """, "operationName": "S" """)));
        Assert.Null(reader.TryRead(Body(inputs, twoOperations, """, "operationName": "R" """)));
        Assert.Null(reader.TryRead(Encoding.UTF8.GetBytes($$$"""{"query": "{{{otherVariable}}}", "variables": {"inputs": {{{inputs}}}, "first": 3}}""")));
        Assert.Null(reader.TryRead(Body(inputs, rest: """, "query": "again" """)));
        Assert.Null(reader.TryRead(Body(inputs)[..^1]));
        Assert.NotNull(reader.TryRead(Body(inputs, rest: """, "operationName": "R", "extensions": null""")));
    }

    [Fact]
    public async Task A_string_that_is_not_UTF_8_is_left_to_GraphQL_NET()
    {
        var reader = await ReaderAsync(Query);
        var body = Body("""[{"modelId": "m-XX", "machineId": "x", "metrics": {"rmse": 1}}]""");
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        Assert.Null(reader.TryRead(body));
    }

    [Fact]
    public async Task Variables_sent_before_the_query_are_read_too()
    {
        var reader = await ReaderAsync(Query);
        var body = $$"""{"variables": {"inputs": [{{Full}}]}, "query": {{System.Text.Json.JsonSerializer.Serialize(Query)}}}""";

        var read = reader.TryRead(Encoding.UTF8.GetBytes(body));

        Assert.Equal("model-1", Assert.Single((EvaluationFields[])read!.Value.Variables.Values["inputs"]!).ModelId);
    }
}
