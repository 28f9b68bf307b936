using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelPerformance.Bench;

/// <summary>
/// What authentication costs ingestion: single <c>recordEvaluation</c> calls over HTTP from 32 clients into a service
/// that is open and into one that checks an INGEST key, its roles and its rate limit on every request (set high
/// enough never to refuse), measured in alternating windows in the same run.
/// </summary>
public static class SecurityScenarios
{
    private const string Bootstrap = "bench-bootstrap-key-0123456789abcdef";

    public static async Task AuthCostAsync()
    {
        await using var open = await BenchService.StartAsync(null, clusterId: "open");
        await using var secured = await BenchService.StartAsync(null, clusterId: "secured", settings: new Dictionary<string, string?>
        {
            ["Auth:BootstrapAdminKey"] = Bootstrap,
            ["Auth:RateLimit:PermitsPerSecond"] = "1000000",
        });
        using var openHttp = Scenarios.NewHttpClient(open);
        using var securedHttp = Scenarios.NewHttpClient(secured);
        securedHttp.DefaultRequestHeaders.Add("X-Api-Key", Bootstrap);
        var created = await securedHttp.PostAsJsonAsync("/graphql", new { query = "mutation { createApiKey(name: \"bench-ingest\", roles: [INGEST]) { key } }" });
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["createApiKey"]!["key"]!.GetValue<string>();
        securedHttp.DefaultRequestHeaders.Remove("X-Api-Key");
        securedHttp.DefaultRequestHeaders.Add("X-Api-Key", key);

        const int clients = 32;
        var counter = 0L;
        byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }",
            variables = new { input = new { evaluationId = $"e{Interlocked.Increment(ref counter)}", modelId = $"h{Random.Shared.Next(1000):D4}", machineId = "bench",
                modelType = "bench", sampleCount = 10, metrics = new { rSquared = 0.9, rmse = 1.2, mae = 0.8, mape = 5.0 } } },
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        await Scenarios.ClosedLoopAsync(openHttp, "/graphql", clients, TimeSpan.FromSeconds(15), Body);
        await Scenarios.ClosedLoopAsync(securedHttp, "/graphql", clients, TimeSpan.FromSeconds(15), Body);
        var without = new List<(double Rate, double P99, double Cpu)>();
        var with = new List<(double Rate, double P99, double Cpu)>();
        for (var round = 0; round < 3; round++)
        {
            var o = await Scenarios.ClosedLoopAsync(openHttp, "/graphql", clients, TimeSpan.FromSeconds(8), Body);
            without.Add((o.Rate, o.P99, o.CpuMsPerCall));
            var s = await Scenarios.ClosedLoopAsync(securedHttp, "/graphql", clients, TimeSpan.FromSeconds(8), Body);
            with.Add((s.Rate, s.P99, s.CpuMsPerCall));
        }
        Console.WriteLine($"auth-cost windows: open {string.Join(", ", without.Select(w => w.Rate.ToString("F0")))}; with a key {string.Join(", ", with.Select(w => w.Rate.ToString("F0")))} calls/s");
        Console.WriteLine($"RESULT auth-cost recordEvaluation over HTTP, {clients} clients, memory mode, 3 x 8 s each: with an API key {with.Average(w => w.Rate):F0} calls/s " +
                          $"(p99 {with.Average(w => w.P99):F1} ms, {with.Average(w => w.Cpu):F3} ms CPU/call), open {without.Average(w => w.Rate):F0} calls/s " +
                          $"(p99 {without.Average(w => w.P99):F1} ms, {without.Average(w => w.Cpu):F3} ms CPU/call); with/open {with.Average(w => w.Rate) / without.Average(w => w.Rate):F3}");
    }
}
