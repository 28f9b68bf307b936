using ModelPerformance.Testing;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

/// <summary>http-single: single recordEvaluation calls over HTTP, and the closed loop other scenarios share.</summary>
static partial class Scenarios
{
    // ---------------------------------------------------------------- http-single
    public static async Task HttpSingleAsync(string[] modes)
    {
        if (modes.Length == 0)
        {
            modes = ["memory", "pg"];
        }
        foreach (var mode in modes)
        {
            ThrowawayPostgres? pg = null;
            string? connectionString = null;
            if (mode == "pg")
            {
                pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
                connectionString = await pg.CreateDatabaseAsync("http");
            }
            await using (var service = await BenchService.StartAsync(connectionString, MapNoop))
            {
                using var http = NewHttpClient(service);
                const int clients = 32;
                var counter = 0L;
                byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(new
                {
                    query = "mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }",
                    variables = new
                    {
                        input = new
                        {
                            evaluationId = $"e{Interlocked.Increment(ref counter)}",
                            modelId = $"h{Random.Shared.Next(1000):D4}",
                            machineId = MachineId,
                            modelType = "bench",
                            sampleCount = 10,
                            metrics = new { rSquared = 0.9, rmse = 1.2, mae = 0.8, mape = 5.0 },
                        },
                    },
                }, Json);
                // Warm-up 20 s (activates the 1,000 monitors and lets the JIT finish its optimised code: with 5 s, a
                // mode measured first in its process cost 2-2.5x the CPU per call of the same mode measured second),
                // then 15 s measured.
                await ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(20), Body);
                var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                var (rate, p50, p99, n, cpu, gc) = await ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(15), Body);
                Console.WriteLine($"RESULT http-single {mode}: recordEvaluation {clients} clients 15 s: {n} calls, {rate:F0} calls/s, p50 {p50:F2} ms, p99 {p99:F2} ms, " +
                                  $"process CPU {cpu:F3} ms/call, {gc}; load average at start {load}");
                await ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(2), Body);
                var (nrate, np50, np99, nn, ncpu, _) = await ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(5), Body);
                Console.WriteLine($"RESULT http-single {mode}: baseline no-op POST same body {clients} clients 5 s: {nn} calls, {nrate:F0} calls/s, p50 {np50:F2} ms, p99 {np99:F2} ms, " +
                                  $"process CPU {ncpu:F3} ms/call; ratio {rate / nrate:F2}");
            }
            if (pg is not null)
            {
                await pg.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Closed loop: each client sends its next request when the previous answer is read. Besides rate and
    /// latency it reports this process's CPU time per call (service and load generator together), which
    /// other work on a shared machine disturbs much less than the rate.
    /// </summary>
    /// <summary>The baseline of HTTP scenarios: the same round trip to an endpoint of the same Kestrel app that reads the body and does nothing.</summary>
    internal static void MapNoop(WebApplication app) =>
        app.MapPost("/bench/noop", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"data\":{}}");
        });

    internal static async Task<(double Rate, double P50, double P99, int Count, double CpuMsPerCall, string Gc)> ClosedLoopAsync(
        HttpClient http, string path, int clients, TimeSpan duration, Func<byte[]> body)
    {
        var latencies = new List<double>[clients];
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        int[] gc0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var pause0 = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            while (sw.Elapsed < duration)
            {
                var content = new ByteArrayContent(body());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var t0 = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(path, content);
                var text = await response.Content.ReadAsStringAsync();
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!response.IsSuccessStatusCode || text.Contains("\"errors\""))
                {
                    throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
                }
            }
        })));
        var elapsed = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        var all = latencies.SelectMany(l => l).ToList();
        all.Sort();
        var gc = $"GC gen0/1/2 {GC.CollectionCount(0) - gc0[0]}/{GC.CollectionCount(1) - gc0[1]}/{GC.CollectionCount(2) - gc0[2]}, " +
                 $"pause {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:F0} ms";
        return (all.Count / elapsed, Stats.Percentile(all, 50), Stats.Percentile(all, 99), all.Count, cpu / all.Count, gc);
    }
}
