using ModelPerformance.Testing;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text.Json;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

var scenario = args.FirstOrDefault() ?? "";
Console.WriteLine($"# scenario {scenario}; {DateTime.UtcNow:u}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; " +
                  $"server GC {GCSettings.IsServerGC}; {Environment.OSVersion}");
switch (scenario)
{
    case "ingest-pg": await Scenarios.IngestPgAsync(args.Skip(1).ToArray()); break;
    case "http-single": await Scenarios.HttpSingleAsync(args.Skip(1).ToArray()); break;
    case "predictions-memory": await Scenarios.PredictionsMemoryAsync(); break;
    case "trend-pg": await Scenarios.TrendPgAsync(); break;
    case "memory": await Scenarios.MemoryAsync(args.Skip(1).ToArray()); break;
    case "drift-check": await DetectionScenarios.DriftCheckAsync(); break;
    case "alert-latency": await DetectionScenarios.AlertLatencyAsync(args.Skip(1).ToArray()); break;
    case "checks-10k": await DetectionScenarios.Checks10kAsync(args.Skip(1).ToArray()); break;
    case "trainer": RetrainingScenarios.Trainer(); break;
    case "retrain-loop": await RetrainingScenarios.RetrainLoopAsync(); break;
    case "ab-assign": await AbTestScenarios.AssignAsync(); break;
    case "ab-outcomes": await AbTestScenarios.OutcomesAsync(); break;
    case "ab-predictions": await AbTestScenarios.PredictionsAsync(); break;
    case "dashboard": await DashboardScenarios.RunAsync(args.Skip(1).ToArray()); break;
    case "auth-cost": await SecurityScenarios.AuthCostAsync(); break;
    case "notify-latency": await NotificationScenarios.LatencyAsync(); break;
    case "notify-burst": await NotificationScenarios.BurstAsync(); break;
    case "notify-ingest": await NotificationScenarios.IngestBesideAsync(); break;
    case "rest-record": await RestScenarios.RecordAsync(); break;
    case "metrics-scrape": await TelemetryScenarios.ScrapeAsync(); break;
    case "trend-50m": await HistoryScenarios.Trend50mAsync(args.Skip(1).ToArray()); break;
    default:
        Console.Error.WriteLine("usage: ingest-pg [backfill [covered]] [nondurable] [rounds=N] [senders=N,N...] | http-single [memory|pg] | predictions-memory | trend-pg | memory [shared|fresh] | drift-check | alert-latency [monitors] | checks-10k [monitors] [steady minutes] | trainer | retrain-loop | ab-assign | ab-outcomes | ab-predictions | dashboard [seconds=N] | auth-cost | notify-latency | notify-burst | notify-ingest | rest-record | metrics-scrape | trend-50m [monitors]");
        return 2;
}
return 0;

static partial class Scenarios
{
    private const string MachineId = "bench";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // ---------------------------------------------------------------- helpers
    internal static HttpClient NewHttpClient(BenchService service) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };

    private static async Task<string> PostGraphQLAsync(HttpClient http, byte[] body, bool throwOnErrors = true)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        if (throwOnErrors && (!response.IsSuccessStatusCode || text.Contains("\"errors\"")))
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(2000, text.Length)]}");
        }
        return text;
    }
}
