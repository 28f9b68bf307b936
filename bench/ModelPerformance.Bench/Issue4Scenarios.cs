using ModelPerformance.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using Npgsql;

namespace ModelPerformance.Bench;

/// <summary>Issue 4's speed figures: drift-check, alert-latency, checks-10k.</summary>
public static class Issue4Scenarios
{
    private const string MachineId = "bench";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static PredictionSample[] Samples(int count, int features, int seed, double shift = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var values = new Dictionary<string, FeatureValue>(features);
            for (var f = 0; f < features; f++)
            {
                values[$"f{f:D2}"] = FeatureValue.Of(random.NextDouble() * 100 + shift);
            }
            var actual = random.NextDouble() * 100;
            return new PredictionSample(null, actual + random.NextDouble() - 0.5, actual, null, null, values);
        }).ToArray();
    }

    private static string Summary(List<double> values)
    {
        values.Sort();
        return $"n={values.Count} median {Stats.Percentile(values, 50):F3} ms, p95 {Stats.Percentile(values, 95):F3} ms, " +
               $"p99 {Stats.Percentile(values, 99):F3} ms, max {values[^1]:F3} ms";
    }

    // ---------------------------------------------------------------- drift-check
    public static async Task DriftCheckAsync()
    {
        const int features = 20;
        const int runs = 200;
        const int warmup = 300; // enough calls for tiered JIT to reach tier 1
        Console.WriteLine($"drift-check start; load {Load()}");
        await using var service = await BenchService.StartAsync(null);
        var grain = service.Grains.GetGrain<IModelMonitorGrain>($"drift/{MachineId}");
        await grain.ConfigureAsync(null, new MonitorConfigPatch { ReferenceSize = 1000, WindowSize = 1000, MinSamples = 100 });
        // 1,000 reference samples, then 1,000 current samples shifted a little (so some features drift).
        var reference = Samples(1000, features, 1);
        var current = Samples(1000, features, 2, shift: 3);
        foreach (var chunk in reference.Chunk(100).Concat(current.Chunk(100)))
        {
            await grain.RecordPredictionsAsync(new PredictionBatch(null, "bench", ModelTask.Regression, null, chunk));
        }
        var first = await grain.CheckDriftAsync();
        Console.WriteLine($"drift-check report: skipped={first.SkippedReason ?? "no"} reference={first.ReferenceSize} current={first.CurrentSize} " +
                          $"features tested={first.Features.Count} drifted={first.Features.Count(f => f.Drifted)}");
        if (first.SkippedReason is not null)
        {
            throw new InvalidOperationException("the drift check was skipped: " + first.SkippedReason);
        }

        for (var i = 0; i < warmup; i++)
        {
            await grain.CheckDriftAsync();
        }
        var grainMs = new List<double>(runs);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await grain.CheckDriftAsync();
            grainMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        var grainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / runs;
        Console.WriteLine($"drift-check grain CheckDriftAsync ({features} numeric features + prediction, ref 1000, cur 1000), {runs} runs: " +
                          $"{Summary(grainMs)}; process CPU {grainCpu:F2} ms/check; wall {wall.Elapsed.TotalSeconds:F1} s; load {Load()}");

        // Baseline: the pure functions alone, 20 features, precomputed NumericReference.
        var refColumns = Enumerable.Range(0, features).Select(f => reference.Select(s => s.Features![$"f{f:D2}"].Number).ToArray()).ToArray();
        var curColumns = Enumerable.Range(0, features).Select(f => current.Select(s => s.Features![$"f{f:D2}"].Number).ToArray()).ToArray();
        var precomputed = refColumns.Select(c => new NumericReference(c)).ToArray();
        var names = Enumerable.Range(0, features).Select(f => $"f{f:D2}").ToArray();
        var results = new FeatureDriftResult[features];
        void PureCheck()
        {
            for (var f = 0; f < features; f++)
            {
                results[f] = DriftTests.TestFeature(names[f], precomputed[f], curColumns[f], 0.05, 0.1);
            }
            DriftTests.Summarize(results, 0.5);
        }
        for (var i = 0; i < warmup; i++)
        {
            PureCheck();
        }
        var pureMs = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            PureCheck();
            pureMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"drift-check baseline DriftTests.TestFeature x {features} (precomputed NumericReference), {runs} runs: {Summary(pureMs)}; load {Load()}");
        // Also the pure functions with the reference built each time (what a check costs when its cache is cold).
        var coldMs = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            for (var f = 0; f < features; f++)
            {
                results[f] = DriftTests.TestFeature(names[f], refColumns[f], curColumns[f], 0.05, 0.1);
            }
            coldMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"drift-check diagnostic: pure functions with NumericReference rebuilt per call, {runs} runs: {Summary(coldMs)}");

        // Diagnostics for the grain's overhead: a plain grain call, and a serializer round trip of a state like this monitor's
        // (window + reference of 1,000 samples x 20 features), which memory grain storage does on every WriteStateAsync.
        var callMs = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await grain.GetSnapshotAsync();
            if (i >= warmup) callMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"drift-check diagnostic: grain call GetSnapshotAsync, {runs} runs: {Summary(callMs)}");
        var state = new ModelPerformance.Grains.Monitors.ModelMonitorState();
        state.Window.Resize(1000);
        state.Reference.Resize(1000);
        foreach (var sample in reference) state.Reference.Add(sample);
        foreach (var sample in current) state.Window.Add(sample);
        var serializer = service.Services.GetRequiredService<Orleans.Serialization.Serializer>();
        var bytes = serializer.SerializeToArray(state);
        var serMs = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var copy = serializer.Deserialize<ModelPerformance.Grains.Monitors.ModelMonitorState>(serializer.SerializeToArray(state));
            if (i >= warmup) serMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"drift-check diagnostic: Orleans serializer round trip of a monitor state (window + reference 1,000 x 20 features, {bytes.Length:N0} bytes), {runs} runs: {Summary(serMs)}; load {Load()}");
    }

    // ---------------------------------------------------------------- alert-latency
    public static async Task AlertLatencyAsync(string[] options)
    {
        var monitors = options.Length > 0 ? int.Parse(options[0]) : 1000;
        Console.WriteLine($"alert-latency start; load {Load()}");
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = await pg.CreateDatabaseAsync("alerts");
        var clusterId = "alerts-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await BenchService.StartAsync(connectionString, clusterId: clusterId);
        await using var siloB = await BenchService.StartAsync(connectionString, clusterId: clusterId);
        Console.WriteLine($"alert-latency: silo A {siloA.BaseAddress}, silo B {siloB.BaseAddress}, cluster {clusterId}");
        using var httpB = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = siloB.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

        // The subscriber on silo A.
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(siloA.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri, CancellationToken.None);
        async Task SendAsync(object message) =>
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        async Task<JsonNode?> ReceiveAsync(CancellationToken token)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            return JsonNode.Parse(message.ToArray());
        }
        await SendAsync(new { type = "connection_init" });
        var ack = await ReceiveAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        if (ack?["type"]?.GetValue<string>() != "connection_ack")
        {
            throw new InvalidOperationException("no connection_ack: " + ack?.ToJsonString());
        }
        await SendAsync(new { id = "1", type = "subscribe", payload = new { query = "subscription { alertRaised(minSeverity: WARNING) { id modelId createdAt } }" } });
        await SendAsync(new { type = "ping" });
        var pong = await ReceiveAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        if (pong?["type"]?.GetValue<string>() != "pong")
        {
            throw new InvalidOperationException("expected pong: " + pong?.ToJsonString());
        }

        var clock = Stopwatch.StartNew();
        var received = new ConcurrentDictionary<string, double>();
        var unexpected = 0;
        var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var message = await ReceiveAsync(stop.Token);
                    var at = clock.Elapsed.TotalMilliseconds;
                    if (message is null)
                    {
                        Console.WriteLine("alert-latency: the server closed the socket");
                        return;
                    }
                    if (message["type"]?.GetValue<string>() == "next")
                    {
                        var modelId = message["payload"]?["data"]?["alertRaised"]?["modelId"]?.GetValue<string>();
                        if (modelId is null || !received.TryAdd(modelId, at))
                        {
                            Interlocked.Increment(ref unexpected);
                        }
                    }
                    else if (message["type"]?.GetValue<string>() != "pong")
                    {
                        Console.WriteLine("alert-latency: unexpected message " + message.ToJsonString());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        // Setup (not timed): per monitor configureMonitor(minSamples: 3) + recordPredictions of 3 samples, 8 at a time.
        const string setup = """
            mutation Setup($modelId: ID!) {
              configureMonitor(modelId: $modelId, machineId: "bench", config: { minSamples: 3 }) { modelId }
              recordPredictions(input: { modelId: $modelId, machineId: "bench",
                samples: [{ predicted: 1, actual: 2 }, { predicted: 3, actual: 5 }, { predicted: 4, actual: 4 }] }) { accepted }
            }
            """;
        const string baseline = """
            mutation Baseline($modelId: ID!) { setBaseline(modelId: $modelId, machineId: "bench", metrics: { mae: 0.01 }) { health } }
            """;
        var ids = Enumerable.Range(0, monitors).Select(i => $"alert{i:D4}").ToArray();
        var setupWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            await PostAsync(httpB, setup, new { modelId = id }));
        Console.WriteLine($"alert-latency setup: {monitors} monitors configured + 3 samples each through silo B in {setupWatch.Elapsed.TotalSeconds:F1} s; load {Load()}");
        if (!received.IsEmpty)
        {
            Console.WriteLine($"alert-latency: {received.Count} alerts arrived during setup (unexpected)");
        }

        // Warm-up of the timed path: 20 extra monitors, not counted.
        var warmIds = Enumerable.Range(0, 20).Select(i => $"warm{i:D2}").ToArray();
        foreach (var id in warmIds)
        {
            await PostAsync(httpB, setup, new { modelId = id });
            await PostAsync(httpB, baseline, new { modelId = id });
        }
        await Task.Delay(1000);

        // Timed: setBaseline, sequentially, one at a time.
        var responseAt = new Dictionary<string, double>(monitors);
        var sentAt = new Dictionary<string, double>(monitors);
        var requestMs = new List<double>(monitors);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var timedWatch = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            var sent = clock.Elapsed.TotalMilliseconds;
            sentAt[id] = sent;
            var result = await PostAsync(httpB, baseline, new { modelId = id });
            var at = clock.Elapsed.TotalMilliseconds;
            responseAt[id] = at;
            requestMs.Add(at - sent);
            if (result["setBaseline"]?["health"]?.GetValue<string>() != "CRITICAL")
            {
                Console.WriteLine($"alert-latency: {id} health {result.ToJsonString()}");
            }
        }
        var timedSeconds = timedWatch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        // Wait for the stragglers.
        var deadline = Stopwatch.StartNew();
        while (ids.Count(received.ContainsKey) < monitors && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        stop.Cancel();
        try { await reader; } catch { }

        var latencies = new List<double>();
        var early = 0;
        foreach (var id in ids)
        {
            if (received.TryGetValue(id, out var got))
            {
                var latency = got - responseAt[id];
                if (latency < 0)
                {
                    early++;
                }
                latencies.Add(latency);
            }
        }
        latencies.Sort();
        var fromSend = ids.Where(received.ContainsKey).Select(id => received[id] - sentAt[id]).ToList();
        fromSend.Sort();
        var missing = monitors - latencies.Count;
        Console.WriteLine($"alert-latency: {monitors} timed setBaseline mutations on silo B, sequential (1 in flight), {timedSeconds:F1} s, " +
                          $"process CPU {cpu / timedSeconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores; load {Load()}");
        Console.WriteLine($"alert-latency mutation round trip on B: {Summary(requestMs)}");
        Console.WriteLine($"alert-latency HTTP response on B -> `next` on A (match by modelId): received {latencies.Count}/{monitors}, missing {missing}, " +
                          $"arrived before the response {early}, duplicates/unmatched {unexpected}");
        if (latencies.Count > 0)
        {
            Console.WriteLine($"alert-latency latency: p50 {Stats.Percentile(latencies, 50):F2} ms, p90 {Stats.Percentile(latencies, 90):F2} ms, " +
                              $"p99 {Stats.Percentile(latencies, 99):F2} ms, max {latencies[^1]:F2} ms, min {latencies[0]:F2} ms");
            Console.WriteLine($"alert-latency upper bound, mutation sent on B -> `next` on A: p50 {Stats.Percentile(fromSend, 50):F2} ms, " +
                              $"p90 {Stats.Percentile(fromSend, 90):F2} ms, p99 {Stats.Percentile(fromSend, 99):F2} ms, max {fromSend[^1]:F2} ms");
        }
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        }
        catch
        {
        }
    }

    // ---------------------------------------------------------------- checks-10k
    public static async Task Checks10kAsync(string[] options)
    {
        var monitors = options.Length > 0 ? int.Parse(options[0]) : 10_000;
        var steadyMinutes = options.Length > 1 ? double.Parse(options[1]) : 3.5;
        Console.WriteLine($"checks-10k start: {monitors} monitors; load {Load()}");
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = await pg.CreateDatabaseAsync("checks");
        await using var service = await BenchService.StartAsync(connectionString);
        var postmaster = await PostmasterPidAsync(connectionString);

        // Create the monitors with the default interval (15 min): no check is due during the idle measurement.
        var batch = new PredictionBatch(null, "bench", ModelTask.Regression, null, Samples(20, 5, 7)); // 10 reference + 10 current: every check runs (not skipped)
        var grains = Enumerable.Range(0, monitors).Select(i => service.Grains.GetGrain<IModelMonitorGrain>($"c{i:D5}/{MachineId}")).ToArray();
        var create = Stopwatch.StartNew();
        await Parallel.ForEachAsync(grains, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (grain, _) =>
        {
            await grain.ConfigureAsync("bench", new MonitorConfigPatch { MinSamples = 10, ReferenceSize = 10, WindowSize = 20 });
            await grain.RecordPredictionsAsync(batch);
        });
        Console.WriteLine($"checks-10k: created {monitors} monitors (configure referenceSize 10, windowSize 20, minSamples 10 + 20 samples x 5 features, checkIntervalMinutes 15) in {create.Elapsed.TotalSeconds:F1} s; load {Load()}");
        await Task.Delay(TimeSpan.FromSeconds(10)); // let the save timers settle

        var idle = await MeasureCpuAsync(TimeSpan.FromSeconds(45), postmaster);
        var idleChecks = await CountChecksAsync(connectionString);
        Console.WriteLine($"checks-10k idle (monitors active, no check due): service process {idle.Service:P1} of {Environment.ProcessorCount} cores, " +
                          $"PostgreSQL {idle.Postgres:P1}; drift check rows so far {idleChecks}; load {Load()}");

        // Every monitor to 1 minute: the reminder is re-registered, first tick one period later.
        var reconfigure = Stopwatch.StartNew();
        await Parallel.ForEachAsync(grains, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (grain, _) =>
            await grain.ConfigureAsync(null, new MonitorConfigPatch { CheckIntervalMinutes = 1 }));
        var registeredBy = DateTime.UtcNow;
        Console.WriteLine($"checks-10k: set checkIntervalMinutes 1 on {monitors} monitors in {reconfigure.Elapsed.TotalSeconds:F1} s (done {registeredBy:HH:mm:ss}); load {Load()}");
        // Wait until every reminder fired once (registered + 1 period + slack).
        await Task.Delay(registeredBy.AddSeconds(75) - DateTime.UtcNow);
        var steadyStart = DateTime.UtcNow;
        var busy = await MeasureCpuAsync(TimeSpan.FromMinutes(steadyMinutes), postmaster);
        var steadyEnd = DateTime.UtcNow;
        Console.WriteLine($"checks-10k steady ({steadyStart:HH:mm:ss}-{steadyEnd:HH:mm:ss}, {(steadyEnd - steadyStart).TotalMinutes:F2} min): service process {busy.Service:P1} of {Environment.ProcessorCount} cores, " +
                          $"PostgreSQL {busy.Postgres:P1}; load {Load()}");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<T> Scalar<T>(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("s", steadyStart);
            command.Parameters.AddWithValue("e", steadyEnd);
            command.CommandTimeout = 300;
            return (T)(await command.ExecuteScalarAsync())!;
        }
        var total = await Scalar<long>("SELECT count(*) FROM model_drift_checks");
        var inWindow = await Scalar<long>("SELECT count(*) FROM model_drift_checks WHERE checked_at >= @s AND checked_at < @e");
        var monitorsChecked = await Scalar<long>("SELECT count(DISTINCT model_id) FROM model_drift_checks WHERE checked_at >= @s AND checked_at < @e");
        var minutes = (steadyEnd - steadyStart).TotalMinutes;
        // A monitor missed a minute when, in the window, two consecutive checks (or the window's edges) are more than 90 s apart.
        var missed = await Scalar<long>("""
            WITH c AS (
              SELECT model_id, checked_at FROM model_drift_checks WHERE checked_at >= @s - interval '2 minutes' AND checked_at < @e
            ), g AS (
              SELECT model_id, checked_at, checked_at - lag(checked_at) OVER (PARTITION BY model_id ORDER BY checked_at) AS gap FROM c
            ), m AS (
              SELECT model_id, max(gap) AS max_gap, max(checked_at) AS last FROM g GROUP BY model_id
            )
            SELECT count(*) FROM m WHERE max_gap > interval '90 seconds' OR last < @e - interval '90 seconds'
            """);
        var perMonitor = await Scalar<string>("""
            SELECT string_agg(n::text || ' checks: ' || k::text || ' monitors', ', ' ORDER BY n) FROM (
              SELECT n, count(*) AS k FROM (
                SELECT model_id, count(*) AS n FROM model_drift_checks WHERE checked_at >= @s AND checked_at < @e GROUP BY model_id
              ) x GROUP BY n) y
            """);
        var gaps = await Scalar<string>("""
            WITH g AS (
              SELECT extract(epoch FROM checked_at - lag(checked_at) OVER (PARTITION BY model_id ORDER BY checked_at)) AS gap
              FROM model_drift_checks WHERE checked_at >= @s AND checked_at < @e
            )
            SELECT format('min %s s, p50 %s s, p99 %s s, max %s s', round(min(gap)::numeric, 2),
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY gap))::numeric, 2),
              round((percentile_cont(0.99) WITHIN GROUP (ORDER BY gap))::numeric, 2), round(max(gap)::numeric, 2))
            FROM g WHERE gap IS NOT NULL
            """);
        var skipped = await Scalar<long>("SELECT count(*) FROM model_drift_checks WHERE checked_at >= @s AND checked_at < @e AND skipped_reason IS NOT NULL");
        Console.WriteLine($"checks-10k: total drift check rows {total}; in the steady window {inWindow} = {inWindow / minutes:F0} checks/min " +
                          $"(expected {monitors}/min = {monitors / 60.0:F0}/s); monitors checked in window {monitorsChecked}/{monitors}; " +
                          $"monitors that missed a minute (gap > 90 s or none in the last 90 s) {missed}; skipped checks {skipped}");
        Console.WriteLine($"checks-10k: checks per monitor in the window: {perMonitor}; gaps between a monitor's checks: {gaps}");
        var checkCost = (busy.ServiceCpuSeconds / (steadyEnd - steadyStart).TotalSeconds - idle.ServiceCpuSeconds / 45.0) / (inWindow / (steadyEnd - steadyStart).TotalSeconds);
        Console.WriteLine($"checks-10k: service CPU per check (steady minus idle) {checkCost * 1000:F3} ms; load {Load()}");
    }

    private static async Task<int?> PostmasterPidAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
            var backend = (int)(await command.ExecuteScalarAsync())!;
            var ppid = File.ReadAllLines($"/proc/{backend}/status").First(l => l.StartsWith("PPid:"))[5..].Trim();
            return int.Parse(ppid);
        }
        catch
        {
            return null;
        }
    }

    /// <summary>utime+stime in seconds of the postmaster and its children.</summary>
    private static double PostgresCpuSeconds(int? postmaster)
    {
        if (postmaster is null)
        {
            return double.NaN;
        }
        long ticks = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(fields[1]);
                if (pid == postmaster || ppid == postmaster)
                {
                    ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
                }
            }
            catch
            {
            }
        }
        return ticks / 100.0;
    }

    private static async Task<(double Service, double Postgres, double ServiceCpuSeconds)> MeasureCpuAsync(TimeSpan duration, int? postmaster)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var pg0 = PostgresCpuSeconds(postmaster);
        var wall = Stopwatch.StartNew();
        await Task.Delay(duration);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var pg = PostgresCpuSeconds(postmaster) - pg0;
        var seconds = wall.Elapsed.TotalSeconds;
        return (cpu / seconds / Environment.ProcessorCount, pg / seconds / Environment.ProcessorCount, cpu);
    }

    private static async Task<long> CountChecksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM model_drift_checks", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object variables)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { query, variables }, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode || node?["errors"] is not null || node?["data"] is null)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(2000, text.Length)]}");
        }
        return node["data"]!;
    }
}
