using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Testing;

namespace ModelPerformance.Bench;

/// <summary>
/// Alert notifications on a durable PostgreSQL (fsync, synchronous_commit and full_page_writes on): the time from the mutation that
/// opens an alert to the webhook receiving it, a burst of 1,000 alerts over 100 channels, and ingestion beside a receiver that never answers.
/// </summary>
public static class NotificationScenarios
{
    private const string DurableOptions = BenchPostgresSettings.ServerOptions + " -c fsync=on -c synchronous_commit=on -c full_page_writes=on";

    private const string Setup = """
        mutation Setup($modelId: ID!, $machineId: ID!) {
          configureMonitor(modelId: $modelId, machineId: $machineId, config: { minSamples: 3 }) { modelId }
          recordPredictions(input: { modelId: $modelId, machineId: $machineId,
            samples: [{ predicted: 1, actual: 2 }, { predicted: 3, actual: 5 }, { predicted: 4, actual: 4 }] }) { accepted }
        }
        """;

    /// <summary>Opens a CRITICAL DEGRADATION alert on a monitor <see cref="Setup"/> prepared.</summary>
    private const string Open = """
        mutation Open($modelId: ID!, $machineId: ID!) { setBaseline(modelId: $modelId, machineId: $machineId, metrics: { mae: 0.01 }) { health } }
        """;

    public static async Task LatencyAsync()
    {
        await using var pg = await ThrowawayPostgres.StartAsync(DurableOptions);
        await using var service = await BenchService.StartAsync(await pg.CreateDatabaseAsync("notify"), clusterId: "notify-latency");
        using var http = Scenarios.NewHttpClient(service);
        using var receiver = new BenchReceiver(_ => 200);
        await CreateChannelAsync(http, "latency", receiver.Url, null);
        const int alerts = 300;
        var monitors = Enumerable.Range(0, alerts + 20).Select(i => (Model: $"lat{i:D4}", Machine: "press")).ToList();
        await Parallel.ForEachAsync(monitors, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, _) =>
            await PostAsync(http, Setup, new { modelId = m.Model, machineId = m.Machine }));

        var latencies = new List<double>();
        var mutationMs = new List<double>();
        var directMs = new List<double>();
        using var direct = new HttpClient();
        for (var i = 0; i < monitors.Count; i++)
        {
            var (model, machine) = monitors[i];
            var sent = receiver.Elapsed;
            await PostAsync(http, Open, new { modelId = model, machineId = machine });
            var answered = receiver.Elapsed;
            var arrived = await receiver.WaitForModelAsync(model, TimeSpan.FromSeconds(10));
            // Baseline: one POST of a webhook-sized body from here straight to the same receiver.
            var before = receiver.Elapsed;
            using (await direct.PostAsync(receiver.Url, new StringContent("{\"event\":\"BASELINE\"}")))
            {
            }
            var directDone = receiver.Elapsed;
            if (i >= 20)
            {
                latencies.Add((arrived - sent).TotalMilliseconds);
                mutationMs.Add((answered - sent).TotalMilliseconds);
                directMs.Add((directDone - before).TotalMilliseconds);
            }
        }
        latencies.Sort();
        mutationMs.Sort();
        directMs.Sort();
        Console.WriteLine($"RESULT notify-latency {alerts} alerts one at a time on durable PostgreSQL: mutation to webhook p50 {Stats.Percentile(latencies, 50):F1} ms, " +
                          $"p95 {Stats.Percentile(latencies, 95):F1} ms, p99 {Stats.Percentile(latencies, 99):F1} ms, max {latencies[^1]:F1} ms; " +
                          $"the mutation's own answer p50 {Stats.Percentile(mutationMs, 50):F1} ms p99 {Stats.Percentile(mutationMs, 99):F1} ms; " +
                          $"a direct POST to the receiver p50 {Stats.Percentile(directMs, 50):F2} ms p99 {Stats.Percentile(directMs, 99):F2} ms");
    }

    public static async Task BurstAsync()
    {
        const int alerts = 1_000;
        const int channels = 100;
        await using var pg = await ThrowawayPostgres.StartAsync(DurableOptions);
        // The baseline: the same burst of alerts on a service with no channel, so the outbox writes nothing.
        await using var plain = await BenchService.StartAsync(await pg.CreateDatabaseAsync("plain"), clusterId: "notify-plain");
        await using var service = await BenchService.StartAsync(await pg.CreateDatabaseAsync("notify"), clusterId: "notify-burst");
        using var plainHttp = Scenarios.NewHttpClient(plain);
        using var http = Scenarios.NewHttpClient(service);
        using var receiver = new BenchReceiver(_ => 200);
        // Channel c routes machines 10c .. 10c+9; monitor i is on machine i, so every channel gets 10 alerts.
        for (var c = 0; c < channels; c++)
        {
            await CreateChannelAsync(http, $"burst-{c}", $"{receiver.Url}c{c}", Enumerable.Range(c * 10, 10).Select(m => $"m{m:D4}").ToArray());
        }
        var monitors = Enumerable.Range(0, alerts).Select(i => $"m{i:D4}").ToList();
        const string prepare = """
            mutation Prepare($machineId: ID!) {
              configureMonitor(modelId: "burst", machineId: $machineId, config: { minSamples: 1 }) { modelId }
              setBaseline(modelId: "burst", machineId: $machineId, metrics: { mae: 0.01 }) { health }
            }
            """;
        // One call opens them all: an evaluation per monitor, a hundred times its baseline MAE.
        var burst = new { inputs = monitors.Select(m => new { modelId = "burst", machineId = m, metrics = new { mae = 1.0 } }) };
        const string record = "mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }";
        foreach (var client in new[] { plainHttp, http })
        {
            await Parallel.ForEachAsync(monitors, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, _) => await PostAsync(client, prepare, new { machineId = m }));
        }

        var plainWatch = Stopwatch.StartNew();
        await PostAsync(plainHttp, record, burst);
        var plainSeconds = plainWatch.Elapsed.TotalSeconds;
        var start = receiver.Elapsed;
        await PostAsync(http, record, burst);
        var opened = receiver.Elapsed - start;
        var deadline = Stopwatch.StartNew();
        while (receiver.Count < alerts && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }
        var last = receiver.LastAt - start;
        var paths = receiver.Paths();
        var delivered = await PostAsync(http, "{ notificationDeliveries(status: DELIVERED, first: 1000) { id } }", new { });
        int Open(JsonNode data) => data["fleetSummary"]!["openAlerts"]!.GetValue<int>();
        var open = Open(await PostAsync(http, "{ fleetSummary { openAlerts } }", new { }));
        var plainOpen = Open(await PostAsync(plainHttp, "{ fleetSummary { openAlerts } }", new { }));
        Console.WriteLine($"RESULT notify-burst {alerts} alerts opened by one recordEvaluations call on durable PostgreSQL, routed to {channels} channels (10 each): " +
                          $"the call answered in {opened.TotalSeconds:F2} s ({open} open), {receiver.Count} webhooks received ({paths.Count} channels heard, " +
                          $"{paths.Values.Min()}..{paths.Values.Max()} each), {delivered["notificationDeliveries"]!.AsArray().Count} recorded DELIVERED, the last " +
                          $"{last.TotalSeconds:F2} s after the call was sent; baseline without channels: the same call answered in {plainSeconds:F2} s ({plainOpen} open); " +
                          $"with/without {opened.TotalSeconds / plainSeconds:F2}");
    }

    public static async Task IngestBesideAsync()
    {
        await using var pg = await ThrowawayPostgres.StartAsync(DurableOptions);
        await using var quiet = await BenchService.StartAsync(await pg.CreateDatabaseAsync("quiet"), clusterId: "notify-quiet");
        await using var stuck = await BenchService.StartAsync(await pg.CreateDatabaseAsync("stuck"), clusterId: "notify-stuck");
        using var quietHttp = Scenarios.NewHttpClient(quiet);
        using var stuckHttp = Scenarios.NewHttpClient(stuck);
        using var receiver = new BenchReceiver(_ => null);
        await CreateChannelAsync(stuckHttp, "never-answers", receiver.Url, null);
        // 200 alerts whose deliveries hang at the receiver, 64 at a time, for as long as the run lasts.
        var monitors = Enumerable.Range(0, 200).Select(i => $"stuck{i:D3}").ToList();
        await Parallel.ForEachAsync(monitors, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, _) =>
        {
            await PostAsync(stuckHttp, Setup, new { modelId = m, machineId = "press" });
            await PostAsync(stuckHttp, Open, new { modelId = m, machineId = "press" });
        });
        await Task.Delay(1000);
        Console.WriteLine($"notify-ingest: {receiver.Count} requests hanging at the receiver");

        const int clients = 4;
        var counter = 0L;
        byte[] Batch() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }",
            variables = new
            {
                inputs = Enumerable.Range(0, 1000).Select(_ => new
                {
                    evaluationId = $"e{Interlocked.Increment(ref counter)}", modelId = $"i{Random.Shared.Next(500):D3}", machineId = "bench",
                    metrics = new { rmse = 1.2, mae = 0.8 },
                }),
            },
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await Scenarios.ClosedLoopAsync(quietHttp, "/graphql", clients, TimeSpan.FromSeconds(5), Batch);
        await Scenarios.ClosedLoopAsync(stuckHttp, "/graphql", clients, TimeSpan.FromSeconds(5), Batch);
        var without = new List<double>();
        var beside = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            without.Add((await Scenarios.ClosedLoopAsync(quietHttp, "/graphql", clients, TimeSpan.FromSeconds(8), Batch)).Rate * 1000);
            beside.Add((await Scenarios.ClosedLoopAsync(stuckHttp, "/graphql", clients, TimeSpan.FromSeconds(8), Batch)).Rate * 1000);
        }
        Console.WriteLine($"notify-ingest windows: no receiver {string.Join(", ", without.Select(w => w.ToString("F0")))}; " +
                          $"beside a receiver that never answers {string.Join(", ", beside.Select(w => w.ToString("F0")))} evaluations/s");
        Console.WriteLine($"RESULT notify-ingest recordEvaluations (1,000 per call, {clients} clients, durable PostgreSQL, 3 x 8 s each): beside {receiver.Count} webhook " +
                          $"requests that never get an answer {beside.Average():F0} evaluations/s, without {without.Average():F0}; beside/without {beside.Average() / without.Average():F3} " +
                          $"(medians {beside.Order().ElementAt(1):F0} and {without.Order().ElementAt(1):F0}: {beside.Order().ElementAt(1) / without.Order().ElementAt(1):F3})");
    }

    private static async Task CreateChannelAsync(HttpClient http, string name, string url, string[]? machineIds) =>
        await PostAsync(http, "mutation($input: NotificationChannelInput!) { createNotificationChannel(input: $input) { id } }",
            new { input = new { name, kind = "WEBHOOK", url, secret = "bench-secret", machineIds } });

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object variables)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        var text = await response.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(text);
        return response.IsSuccessStatusCode && node?["errors"] is null && node?["data"] is { } data
            ? data
            : throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(2000, text.Length)]}");
    }

    /// <summary>A webhook receiver on loopback that notes when each request arrived and, by its path, answers a status or never.</summary>
    private sealed class BenchReceiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly ConcurrentDictionary<string, TimeSpan> byModel = new();
        private readonly ConcurrentDictionary<string, int> byPath = new();
        private readonly Func<string, int?> answer;
        private long lastTicks;
        private int count;

        public BenchReceiver(Func<string, int?> answer)
        {
            this.answer = answer;
            var port = BenchService.FreePort();
            Url = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public TimeSpan Elapsed => clock.Elapsed;

        public int Count => Volatile.Read(ref count);

        public TimeSpan LastAt => TimeSpan.FromTicks(Interlocked.Read(ref lastTicks));

        public IReadOnlyDictionary<string, int> Paths() => byPath.ToDictionary();

        public async Task<TimeSpan> WaitForModelAsync(string modelId, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!byModel.ContainsKey(modelId))
            {
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"no webhook for {modelId} within {timeout.TotalSeconds} s");
                }
                await Task.Delay(1);
            }
            return byModel[modelId];
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    var path = context.Request.Url!.AbsolutePath;
                    var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
                    var at = clock.Elapsed;
                    if (JsonNode.Parse(body)?["alert"]?["modelId"]?.GetValue<string>() is { } model)
                    {
                        byModel.TryAdd(model, at);
                        byPath.AddOrUpdate(path, 1, (_, n) => n + 1);
                        Interlocked.Increment(ref count);
                        long seen;
                        while ((seen = Interlocked.Read(ref lastTicks)) < at.Ticks && Interlocked.CompareExchange(ref lastTicks, at.Ticks, seen) != seen)
                        {
                        }
                    }
                    if (answer(path) is { } status)
                    {
                        context.Response.StatusCode = status;
                        context.Response.Close();
                    }
                });
            }
        }

        public void Dispose() => listener.Close();
    }
}
