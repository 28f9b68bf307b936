using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.GraphQL.Transport;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>
/// recordEvaluations batches over real HTTP, as the transport reads them itself from the second request of a document
/// on (<c>BatchRequestReader</c>): the same answers, the same storage and the same errors as GraphQL.NET's path.
/// </summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class BatchIngestApiTests(GraphQLServiceFixture fixture)
{
    private static string NewModelId() => "batch-" + Guid.NewGuid().ToString("N")[..12];

    // A document of each test's own, so that its first request is the first the service sees of it.
    private static string NewDocument() => $$"""
        mutation Batch{{Guid.NewGuid():N}}($inputs: [RecordEvaluationInput!]!) {
          recordEvaluations(inputs: $inputs) {
            accepted duplicates
            evaluations { modelId machineId modelVersion evaluatedAt sampleCount metrics { rmse mae rSquared } }
          }
        }
        """;

    private static object Input(string modelId, string evaluationId, double rmse = 2) => new
    {
        evaluationId,
        modelId,
        machineId = "machine-1",
        modelType = "baseline",
        task = "REGRESSION",
        modelVersion = "v3",
        evaluatedAt = DateTime.UtcNow.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        sampleCount = 40,
        metrics = new { rmse, mae = 1.5, rSquared = (double?)null },
    };

    [Fact]
    public async Task A_batch_read_by_the_transport_is_answered_and_stored_as_GraphQL_NET_reads_it()
    {
        var document = NewDocument();
        var (first, second) = (NewModelId(), NewModelId());

        var general = await fixture.PostAsync(document, new { inputs = new[] { Input(first, "e-1"), Input(first, "e-2", 3) } });
        var secondInputs = new[] { Input(second, "e-1"), Input(second, "e-2", 3) };
        // The service's own reader now knows the document and takes such a body.
        Assert.NotNull(fixture.Service.Services.GetRequiredService<ValidatedDocumentCache>().Find(document));
        Assert.NotNull(fixture.Service.Services.GetRequiredService<BatchRequestReader>()
            .TryRead(JsonSerializer.SerializeToUtf8Bytes(new { query = document, variables = new { inputs = secondInputs } })));
        var read = await fixture.PostAsync(document, new { inputs = secondInputs });

        Assert.Empty(general.Errors);
        Assert.Empty(read.Errors);
        Assert.Equal(general.Data!.ToJsonString().Replace(first, second), read.Data!.ToJsonString());
        Assert.Equal(2, read.Data!["recordEvaluations"]!["accepted"]!.GetValue<int>());
        var again = await fixture.PostAsync(document, new { inputs = new[] { Input(second, "e-1"), Input(second, "e-2", 3) } });
        Assert.Equal((0, 2), (again.Data!["recordEvaluations"]!["accepted"]!.GetValue<int>(), again.Data!["recordEvaluations"]!["duplicates"]!.GetValue<int>()));
        var stored = await fixture.PostAsync("""
            query Q($a: ID!, $b: ID!) {
              a: evaluations(modelId: $a, machineId: "machine-1") { modelVersion evaluatedAt sampleCount metrics { rmse mae } }
              b: evaluations(modelId: $b, machineId: "machine-1") { modelVersion evaluatedAt sampleCount metrics { rmse mae } }
            }
            """, new { a = first, b = second });
        Assert.Equal(2, stored.Data!["a"]!.AsArray().Count);
        Assert.Equal(stored.Data!["a"]!.ToJsonString(), stored.Data!["b"]!.ToJsonString());
    }

    [Fact]
    public async Task A_rule_broken_in_a_batch_read_by_the_transport_names_the_input_and_stores_nothing()
    {
        var document = NewDocument();
        var modelId = NewModelId();
        Assert.Empty((await fixture.PostAsync(document, new { inputs = new[] { Input(NewModelId(), "warm") } })).Errors);

        var reply = await fixture.PostAsync(document, new { inputs = new[] { Input(modelId, "e-1"), Input(modelId, "e-2", -1) } });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("inputs/1/metrics/rmse", reply.InputPath);
        var stored = await fixture.PostAsync("""query Q($m: ID!) { evaluations(modelId: $m, machineId: "machine-1") { id } }""", new { m = modelId });
        Assert.Empty(stored.Data!["evaluations"]!.AsArray());
    }

    [Fact]
    public async Task A_batch_the_transport_does_not_read_gets_GraphQL_NETs_answer_as_on_a_first_request()
    {
        var document = NewDocument();
        var fractionalCount = new { modelId = NewModelId(), machineId = "machine-1", sampleCount = 1.5, metrics = new { rmse = 1 } };

        var unseen = await fixture.PostAsync(document, new { inputs = new[] { fractionalCount } });
        Assert.Empty((await fixture.PostAsync(document, new { inputs = new[] { Input(NewModelId(), "warm") } })).Errors);
        var seen = await fixture.PostAsync(document, new { inputs = new[] { fractionalCount } });

        Assert.Equal(HttpStatusCode.BadRequest, unseen.Status);
        Assert.Equal(unseen.Status, seen.Status);
        Assert.Equal(unseen.Text, seen.Text);
        Assert.Contains("sampleCount", seen.Error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_read_by_the_transport_is_audited_with_its_number_of_inputs()
    {
        var document = NewDocument();
        Assert.Empty((await fixture.PostAsync(document, new { inputs = new[] { Input(NewModelId(), "warm") } })).Errors);
        var modelId = NewModelId();

        var reply = await fixture.PostAsync(document, new { inputs = Enumerable.Range(0, 17).Select(i => Input(modelId, $"e-{i}")).ToArray() });

        Assert.Equal(17, reply.Data!["recordEvaluations"]!["accepted"]!.GetValue<int>());
        await Eventually.MatchAsync(
            async () => (await fixture.PostAsync("""{ auditLog(operation: "recordEvaluations", first: 1000) { target succeeded } }""")).Data!["auditLog"]!.AsArray(),
            entries => entries.Any(e => e!["target"]?.GetValue<string>() == "17 inputs" && e["succeeded"]!.GetValue<bool>()),
            TimeSpan.FromSeconds(10), "the batch's audit entry with its 17 inputs");
    }
}
