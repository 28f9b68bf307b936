using ModelPerformance.Testing;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using Npgsql;
using NpgsqlTypes;

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
    case "drift-check": await Issue4Scenarios.DriftCheckAsync(); break;
    case "alert-latency": await Issue4Scenarios.AlertLatencyAsync(args.Skip(1).ToArray()); break;
    case "checks-10k": await Issue4Scenarios.Checks10kAsync(args.Skip(1).ToArray()); break;
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
        Console.Error.WriteLine("usage: ingest-pg [backfill] [nondurable] [rounds=N] [senders=N,N...] | http-single [memory|pg] | predictions-memory | trend-pg | memory [shared|fresh] | drift-check | alert-latency [monitors] | checks-10k [monitors] [steady minutes] | trainer | retrain-loop | ab-assign | ab-outcomes | ab-predictions | dashboard [seconds=N] | auth-cost | notify-latency | notify-burst | notify-ingest | rest-record | metrics-scrape | trend-50m [monitors]");
        return 2;
}
return 0;

static partial class Scenarios
{
    private const string MachineId = "bench";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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

    // ---------------------------------------------------------------- predictions-memory
    internal static PredictionSample[] Samples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var features = new Dictionary<string, FeatureValue>(10);
            for (var f = 0; f < 10; f++)
            {
                features[$"f{f}"] = FeatureValue.Of(random.NextDouble() * 100);
            }
            var actual = random.NextDouble() * 100;
            return new PredictionSample(null, actual + random.NextDouble() - 0.5, actual, null, null, features);
        }).ToArray();
    }

    public static async Task PredictionsMemoryAsync()
    {
        await using var service = await BenchService.StartAsync(null);
        const int monitors = 100;
        const int callers = 32;
        var batches = Enumerable.Range(0, 16).Select(s => new PredictionBatch(null, "bench", ModelTask.Regression, null, Samples(100, s))).ToArray();
        var grains = Enumerable.Range(0, monitors).Select(i => service.Grains.GetGrain<IModelMonitorGrain>($"p{i:D3}/{MachineId}")).ToArray();

        async Task<double> RunGrainsAsync(TimeSpan duration)
        {
            long samples = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                for (var k = 0; sw.Elapsed < duration; k++)
                {
                    var result = await grains[(c + k * callers) % monitors].RecordPredictionsAsync(batches[k % batches.Length]);
                    Interlocked.Add(ref samples, result.Accepted);
                }
            })));
            return samples / sw.Elapsed.TotalSeconds;
        }

        await RunGrainsAsync(TimeSpan.FromSeconds(3));
        var grainRate = await RunGrainsAsync(TimeSpan.FromSeconds(10));
        Console.WriteLine($"predictions-memory grain calls ({callers} callers, {monitors} monitors, 100 samples x 10 features per call, 10 s): {grainRate:F0} samples/s");

        // Baseline: the same samples added straight into a SampleWindow (the window's own cost, one thread, no grain).
        var window = new SampleWindow(1000, rolls: true);
        var reference = new SampleWindow(1000, rolls: false);
        long added = 0;
        var bsw = Stopwatch.StartNew();
        while (bsw.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (var sample in batches[added / 100 % batches.Length].Samples)
            {
                window.Add(sample);
                reference.Add(sample);
            }
            added += 100;
        }
        var windowRate = added / bsw.Elapsed.TotalSeconds;
        Console.WriteLine($"predictions-memory baseline SampleWindow.Add (window + reference, 1 thread): {windowRate:F0} samples/s");

        // Over HTTP: recordPredictions mutation, 16 clients, 10 s.
        using var http = NewHttpClient(service);
        var bodies = Enumerable.Range(0, monitors).Select(i => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            variables = new
            {
                input = new
                {
                    modelId = $"p{i:D3}",
                    machineId = MachineId,
                    modelType = "bench",
                    task = "REGRESSION",
                    samples = batches[i % batches.Length].Samples.Select(s => new
                    {
                        predicted = s.Predicted,
                        actual = s.Actual,
                        features = s.Features!.ToDictionary(f => f.Key, f => f.Value.Number),
                    }).ToArray(),
                },
            },
        }, Json)).ToArray();
        var pick = 0;
        await ClosedLoopAsync(http, "/graphql", 16, TimeSpan.FromSeconds(3), () => bodies[Interlocked.Increment(ref pick) % monitors]);
        var (calls, p50, p99, _, cpu, gc) = await ClosedLoopAsync(http, "/graphql", 16, TimeSpan.FromSeconds(10), () => bodies[Interlocked.Increment(ref pick) % monitors]);
        Console.WriteLine($"predictions-memory graphql-http (16 clients, 10 s): {calls:F0} calls/s = {calls * 100:F0} samples/s, p50 {p50:F2} ms, p99 {p99:F2} ms, process CPU {cpu:F3} ms/call, {gc}");
        Console.WriteLine($"RESULT predictions-memory grain {grainRate:F0} samples/s; http {calls * 100:F0} samples/s; baseline window {windowRate:F0} samples/s; grain/baseline {grainRate / windowRate:F2}");
    }

    // ---------------------------------------------------------------- trend-pg
    public static async Task TrendPgAsync()
    {
        const int rows = 1_000_000;
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = await pg.CreateDatabaseAsync("trend");
        await using var service = await BenchService.StartAsync(connectionString);
        var key = new MonitorKey("trend", "m1");
        var to = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var from = to.AddDays(-30);
        var span = (to - from).Ticks;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var sw = Stopwatch.StartNew();
        // Loaded through the service's own history writer (group commit, hourly aggregates), 10,000 rows a call.
        var writer = service.Services.GetRequiredService<IHistoryWriter>();
        var random = new Random(1);
        var all = Enumerable.Range(0, rows).Select(r =>
        {
            var at = from.AddTicks(span / rows * r);
            var metrics = new MetricSet(RSquared: random.NextDouble(), Rmse: 1 + random.NextDouble(), Mae: random.NextDouble(), Mape: random.NextDouble() * 10);
            return new EvaluationRow(new Evaluation(Guid.CreateVersion7(), key.ModelId, key.MachineId, null, at, 100, metrics), "bench", r + 1, null, EvaluationSource.Recorded);
        }).ToList();
        foreach (var chunk in all.Chunk(10_000))
        {
            await writer.AppendAsync(key, chunk, batch: null);
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
            await vacuum.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"trend-pg: loaded {rows} rows through the history writer + VACUUM ANALYZE in {sw.Elapsed.TotalSeconds:F1} s");

        var history = service.Services.GetRequiredService<IMonitorHistory>();
        async Task<List<double>> TimeAsync(int runs, Func<Task<int>> run)
        {
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var points = await run();
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (points != 30)
                {
                    throw new InvalidOperationException($"expected 30 buckets, got {points}");
                }
            }
            times.Sort();
            return times;
        }

        var service1 = () => history.GetTrendAsync(key, Metric.Rmse, from, to, Bucket.Day).ContinueWith(t => t.Result.Count);
        await TimeAsync(5, service1);
        var serviceTimes = await TimeAsync(50, service1);
        Console.WriteLine($"RESULT trend-pg IMonitorHistory.GetTrendAsync DAY/30 days/1M rows, 50 runs: median {Stats.Percentile(serviceTimes, 50):F1} ms, p95 {Stats.Percentile(serviceTimes, 95):F1} ms");

        // Baseline: the plainest SQL answer, day buckets with literal bounds (no NULL-able parameters).
        const string plain = "SELECT date_trunc('day', evaluated_at, 'UTC') AS b, count(rmse), avg(rmse), min(rmse), max(rmse) FROM model_performance_metrics " +
                             "WHERE model_id = 'trend' AND machine_id = 'm1' AND rmse IS NOT NULL AND evaluated_at >= '2026-10-02Z' AND evaluated_at < '2026-11-01Z' GROUP BY b ORDER BY b";
        async Task<int> PlainAsync()
        {
            await using var command = dataSource.CreateCommand(plain);
            await using var reader = await command.ExecuteReaderAsync();
            var n = 0;
            while (await reader.ReadAsync())
            {
                n++;
            }
            return n;
        }
        await TimeAsync(5, PlainAsync);
        var plainTimes = await TimeAsync(50, PlainAsync);
        Console.WriteLine($"RESULT trend-pg baseline raw SQL with literals, 50 runs: median {Stats.Percentile(plainTimes, 50):F1} ms, p95 {Stats.Percentile(plainTimes, 95):F1} ms; " +
                          $"service/baseline {Stats.Percentile(serviceTimes, 50) / Stats.Percentile(plainTimes, 50):F2}");

        // Via GraphQL: monitor { trend }.
        using var http = NewHttpClient(service);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "query($from: DateTime, $to: DateTime) { monitor(modelId: \"trend\", machineId: \"m1\") { trend(metric: RMSE, from: $from, to: $to, bucket: DAY) { bucketStart count mean } } }",
            variables = new { from, to },
        }, Json);
        var probe = await PostGraphQLAsync(http, body, throwOnErrors: false);
        Console.WriteLine($"trend-pg graphql probe: {probe[..Math.Min(200, probe.Length)]}");
        if (probe.Contains("bucketStart"))
        {
            async Task<int> GqlAsync()
            {
                var text = await PostGraphQLAsync(http, body);
                return text.Split("bucketStart").Length - 1;
            }
            await TimeAsync(5, GqlAsync);
            var gqlTimes = await TimeAsync(50, GqlAsync);
            Console.WriteLine($"RESULT trend-pg graphql monitor.trend, 50 runs: median {Stats.Percentile(gqlTimes, 50):F1} ms, p95 {Stats.Percentile(gqlTimes, 95):F1} ms");
        }

        // Where the time goes: the service's statement, with its parameters, under EXPLAIN ANALYZE.
        await using (var explain = dataSource.CreateCommand(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT date_trunc('day', evaluated_at, 'UTC') AS b, count(rmse), avg(rmse), min(rmse), max(rmse) " +
            "FROM model_performance_metrics WHERE model_id = $1 AND machine_id = $2 AND rmse IS NOT NULL " +
            "AND ($3::timestamptz IS NULL OR evaluated_at >= $3) AND ($4::timestamptz IS NULL OR evaluated_at < $4) GROUP BY b ORDER BY b"))
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = key.ModelId });
            explain.Parameters.Add(new NpgsqlParameter { Value = key.MachineId });
            explain.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            explain.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await explain.ExecuteReaderAsync();
            Console.WriteLine("EXPLAIN (ANALYZE, BUFFERS) of the service's trend statement:");
            while (await reader.ReadAsync())
            {
                Console.WriteLine("  " + reader.GetString(0));
            }
        }
    }

    // ---------------------------------------------------------------- memory
    public static async Task MemoryAsync(string[] options)
    {
        var fresh = options.Contains("fresh");
        var monitors = options.Select(o => int.TryParse(o, out var n) ? n : 0).FirstOrDefault(n => n > 0, 2000);
        await using var service = await BenchService.StartAsync(null);
        var shared = Enumerable.Range(0, 10).Select(s => new PredictionBatch(null, "bench", ModelTask.Regression, null, Samples(100, s))).ToArray();

        async Task FillAsync(int first, int count)
        {
            await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var grain = service.Grains.GetGrain<IModelMonitorGrain>($"mem{i:D5}/{MachineId}");
                for (var b = 0; b < 10; b++)
                {
                    var batch = fresh ? new PredictionBatch(null, "bench", ModelTask.Regression, null, Samples(100, i * 10 + b)) : shared[b];
                    await grain.RecordPredictionsAsync(batch);
                }
            });
        }

        await FillAsync(1_000_000, 20); // warm-up monitors, not counted
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await FillAsync(0, monitors);
        var settle = options.Contains("settle");
        if (settle)
        {
            // Let every monitor's 5 s save timer run, so that what storage keeps of its state is counted too.
            await Task.Delay(TimeSpan.FromSeconds(15));
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perMonitor = (after - before) / (double)monitors;
        // A monitor holds two sets of 1,000 samples of 10 features, a prediction and an actual, as doubles: its
        // rolling window and its frozen drift reference.
        const double windowRaw = 1000 * (10 + 2) * 8;
        const double raw = 2 * windowRaw;
        Console.WriteLine($"memory: {monitors} monitors x 1,000 samples (10 numeric features), samples {(fresh ? "fresh per batch (as over HTTP)" : "shared across monitors")}: " +
                          $"heap {before / 1e6:F1} MB -> {after / 1e6:F1} MB");

        // Baseline: the window and reference of one monitor alone (two SampleWindows of 1,000), outside Orleans.
        var windowsBefore = GC.GetTotalMemory(true);
        var windows = new List<SampleWindow>();
        for (var i = 0; i < 200; i++)
        {
            var w = new SampleWindow(1000, rolls: true);
            var r = new SampleWindow(1000, rolls: false);
            foreach (var batch in shared)
            {
                foreach (var s in batch.Samples)
                {
                    w.Add(s);
                    r.Add(s);
                }
            }
            windows.Add(w);
            windows.Add(r);
        }
        var windowsPer = (GC.GetTotalMemory(true) - windowsBefore) / 200.0;
        GC.KeepAlive(windows);
        Console.WriteLine($"RESULT memory ({(fresh ? "fresh" : "shared")} samples{(settle ? ", after 15 s settle" : "")}): {perMonitor:F0} bytes per monitor = " +
                          $"{perMonitor / raw:F2} x the raw {raw:F0} B of its window and reference ({perMonitor / windowRaw:F2} x the window's {windowRaw:F0} B alone); " +
                          $"window+reference SampleWindows alone {windowsPer:F0} B = {windowsPer / raw:F2} x raw");
    }

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
