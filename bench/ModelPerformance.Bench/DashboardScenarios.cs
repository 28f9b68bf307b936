using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Testing;
using Npgsql;

namespace ModelPerformance.Bench;

/// <summary>
/// The dashboard with a fleet of 1,000 monitors on PostgreSQL: the page's fleet query against the plain SQL of its
/// registry page and a trivial GraphQL round trip, counting monitor activations; then the page in headless Chromium:
/// first render, and click-to-effect latency while 10 alerts a second arrive for a minute.
/// </summary>
public static class DashboardScenarios
{
    private const int Monitors = 1_000;

    private const string FleetQuery = """
        query Fleet($first: Int) {
          fleetSummary { monitors ok warning critical unknown openAlerts criticalAlerts }
          monitors(first: $first, orderBy: WORST_FIRST) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { node { modelId machineId modelType health activeVersion lastEvaluatedAt
              latest { metrics { rmse mae mape rSquared accuracy f1 } } alerts(status: OPEN) { id severity } } }
          }
        }
        """;

    public static async Task RunAsync(string[] args)
    {
        var stormSeconds = args.FirstOrDefault(a => a.StartsWith("seconds=", StringComparison.Ordinal)) is { } s ? int.Parse(s["seconds=".Length..]) : 60;
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = await pg.CreateDatabaseAsync("dashboard");
        await using var service = await BenchService.StartAsync(connectionString);
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var created = Stopwatch.StartNew();
        await SeedAsync(http);
        Console.WriteLine($"dashboard: {Monitors} monitors with 10 evaluations each and 100 CRITICAL ones in {created.Elapsed.TotalSeconds:F1} s");

        await service.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var before = await ActivationsAsync(service);
        var fleet = new List<double>();
        var sql = new List<double>();
        var trivial = new List<double>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var run = 0; run < 120; run++)
        {
            var watch = Stopwatch.StartNew();
            await GraphQLAsync(http, FleetQuery, new { first = 25 });
            var f = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await RegistryPageSqlAsync(connection);
            var q = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await GraphQLAsync(http, "{ __typename }", new { });
            var t = watch.Elapsed.TotalMilliseconds;
            if (run >= 20)
            {
                fleet.Add(f);
                sql.Add(q);
                trivial.Add(t);
            }
        }
        var after = await ActivationsAsync(service);
        fleet.Sort();
        sql.Sort();
        trivial.Sort();
        Console.WriteLine($"RESULT dashboard fleet query (fleetSummary + 25 monitors worst first with latest metrics and open alerts) over {Monitors} monitors on PostgreSQL, 100 runs: " +
                          $"median {Stats.Percentile(fleet, 50):F2} ms, p95 {Stats.Percentile(fleet, 95):F2} ms; monitor activations before {before}, after {after}");
        Console.WriteLine($"RESULT dashboard baseline: the registry page's SQL alone median {Stats.Percentile(sql, 50):F2} ms, p95 {Stats.Percentile(sql, 95):F2} ms; " +
                          $"{{ __typename }} over HTTP median {Stats.Percentile(trivial, 50):F2} ms");

        // The page, while alerts arrive at 10 a second on monitors that had none.
        using var stop = new CancellationTokenSource();
        var raised = 0;
        var storm = Task.Run(async () =>
        {
            var next = Stopwatch.StartNew();
            for (var i = 100; !stop.IsCancellationRequested && i < Monitors; i++)
            {
                await GraphQLAsync(http, "mutation B($m: ID!) { setBaseline(modelId: $m, machineId: \"bench\", metrics: { rmse: 0.001 }) { health } }", new { m = $"d{i:D4}" });
                raised++;
                var due = TimeSpan.FromMilliseconds(100 * (i - 99));
                if (next.Elapsed < due)
                {
                    await Task.Delay(due - next.Elapsed);
                }
            }
        });
        var page = await NodeAsync(Path.Combine(FindRoot(), "bench", "dashboard-page.mjs"), service.BaseAddress.ToString().TrimEnd('/'), "10", stormSeconds.ToString());
        await stop.CancelAsync();
        await storm;
        if (page["failure"] is { } failure)
        {
            Console.WriteLine($"dashboard page failed: {failure}");
        }
        var render = Sorted(page["renderMs"]!);
        var load = Sorted(page["loadMs"]!);
        var clicks = Sorted(page["clickMs"]!);
        var longTasks = page["longTasksMs"]!.AsArray().Select(x => x!.GetValue<double>()).ToList();
        Console.WriteLine($"RESULT dashboard first render of the fleet view in headless Chromium, 10 fresh contexts: median {Stats.Percentile(render, 50):F0} ms, max {render.LastOrDefault():F0} ms; " +
                          $"the page's load event alone median {Stats.Percentile(load, 50):F0} ms");
        Console.WriteLine($"RESULT dashboard click to effect (the fleet's pager, a GraphQL round trip and a re-render) over {stormSeconds} s while alerts opened at 10 a second ({raised} in the whole run): " +
                          $"{clicks.Count} clicks, median {Stats.Percentile(clicks, 50):F1} ms, p95 {Stats.Percentile(clicks, 95):F1} ms, max {clicks.LastOrDefault():F1} ms; " +
                          $"long tasks {longTasks.Count} (longest {(longTasks.Count > 0 ? longTasks.Max() : 0):F0} ms); alerts counted by the page {page["alertsSeen"]}; page errors {page["errors"]!.AsArray().Count}");
    }

    private static List<double> Sorted(JsonNode values)
    {
        var list = values.AsArray().Select(x => x!.GetValue<double>()).ToList();
        list.Sort();
        return list;
    }

    /// <summary>1,000 monitors d0000..d0999 with 10 evaluations each; the first 100 with a baseline far below their error, so CRITICAL with an open alert.</summary>
    private static async Task SeedAsync(HttpClient http)
    {
        var now = DateTime.UtcNow;
        for (var e = 0; e < 10; e++)
        {
            var inputs = Enumerable.Range(0, Monitors).Select(i => new
            {
                modelId = $"d{i:D4}", machineId = "bench", modelType = i % 2 == 0 ? "energy" : "forecast", sampleCount = 100,
                evaluatedAt = now.AddMinutes(-10 * e), metrics = new { rmse = 1.0 + i % 7 * 0.1, mae = 0.8 },
            }).ToArray();
            await GraphQLAsync(http, "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs });
        }
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            GraphQLAsync(http, "mutation B($m: ID!) { setBaseline(modelId: $m, machineId: \"bench\", metrics: { rmse: 0.001 }) { health } }", new { m = $"d{i:D4}" })));
    }

    /// <summary>What the registry page costs in SQL: the page's CTE and the count, as the service sends them.</summary>
    private static async Task RegistryPageSqlAsync(NpgsqlConnection connection)
    {
        const string rank = "CASE health WHEN 'CRITICAL' THEN 0 WHEN 'WARNING' THEN 1 WHEN 'UNKNOWN' THEN 2 ELSE 3 END";
        await using var command = new NpgsqlCommand(
            $"WITH page AS (SELECT model_id, machine_id, model_type, task, active_version, health FROM model_monitors ORDER BY {rank}, model_id COLLATE \"C\", machine_id COLLATE \"C\" LIMIT 26) " +
            "SELECT * FROM page p LEFT JOIN LATERAL (SELECT id, evaluated_at, rmse FROM model_performance_metrics m WHERE m.model_id = p.model_id AND m.machine_id = p.machine_id " +
            "ORDER BY evaluated_at DESC, seq DESC LIMIT 1) e ON true; SELECT count(*) FROM model_monitors", connection);
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
            }
        }
        while (await reader.NextResultAsync());
    }

    private static async Task<int> ActivationsAsync(BenchService service)
    {
        var statistics = await service.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(nameof(ModelMonitorGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private static async Task<JsonNode> GraphQLAsync(HttpClient http, string query, object variables)
    {
        var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["errors"] is null ? body["data"]! : throw new InvalidOperationException(body.ToJsonString());
    }

    private static async Task<JsonNode> NodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node", [script, .. arguments]) { WorkingDirectory = FindRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        return text.Length > 0 ? JsonNode.Parse(text)! : throw new InvalidOperationException($"node {script}: {await error}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelPerformance.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (ModelPerformance.sln) is not above the bench");
    }
}
