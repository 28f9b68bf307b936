using System.Text.Json;

namespace ModelPerformance.Bench;

/// <summary>
/// The REST route <c>POST metrics/record</c> against <c>recordEvaluation</c> over GraphQL: single evaluations over HTTP from 32 clients
/// into one in-memory service, alternating 3 × 8 s windows of each in the same run.
/// </summary>
public static class RestScenarios
{
    public static async Task RecordAsync()
    {
        await using var service = await BenchService.StartAsync(null, clusterId: "rest");
        using var http = Scenarios.NewHttpClient(service);
        const int clients = 32;
        var counter = 0L;
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        byte[] Rest() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            evaluation_id = $"r{Interlocked.Increment(ref counter)}", model_id = $"h{Random.Shared.Next(1000):D4}", machine_id = "bench", model_type = "bench",
            sample_count = 10, metrics = new { r_squared = 0.9, rmse = 1.2, mae = 0.8, mape = 5.0 },
        }, web);
        byte[] GraphQL() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id modelId machineId modelVersion evaluatedAt sampleCount metrics { rSquared rmse mae mape accuracy precision recall f1 } } }",
            variables = new { input = new { evaluationId = $"g{Interlocked.Increment(ref counter)}", modelId = $"h{Random.Shared.Next(1000):D4}", machineId = "bench",
                modelType = "bench", sampleCount = 10, metrics = new { rSquared = 0.9, rmse = 1.2, mae = 0.8, mape = 5.0 } } },
        }, web);
        const string route = "/api/v1/model-performance/metrics/record";

        await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(10), GraphQL);
        await Scenarios.ClosedLoopAsync(http, route, clients, TimeSpan.FromSeconds(10), Rest);
        var graphql = new List<(double Rate, double P99)>();
        var rest = new List<(double Rate, double P99)>();
        for (var round = 0; round < 3; round++)
        {
            var g = await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(8), GraphQL);
            graphql.Add((g.Rate, g.P99));
            var r = await Scenarios.ClosedLoopAsync(http, route, clients, TimeSpan.FromSeconds(8), Rest);
            rest.Add((r.Rate, r.P99));
        }
        Console.WriteLine($"rest-record windows: graphql {string.Join(", ", graphql.Select(w => w.Rate.ToString("F0")))}; rest {string.Join(", ", rest.Select(w => w.Rate.ToString("F0")))} calls/s");
        Console.WriteLine($"RESULT rest-record single evaluations over HTTP, {clients} clients, memory mode, 3 x 8 s each: POST metrics/record {rest.Average(w => w.Rate):F0} calls/s " +
                          $"(p99 {rest.Average(w => w.P99):F1} ms), recordEvaluation over GraphQL with the same fields {graphql.Average(w => w.Rate):F0} calls/s " +
                          $"(p99 {graphql.Average(w => w.P99):F1} ms); rest/graphql {rest.Average(w => w.Rate) / graphql.Average(w => w.Rate):F3}");
    }
}
