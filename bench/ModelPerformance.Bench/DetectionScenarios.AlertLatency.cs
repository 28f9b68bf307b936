using ModelPerformance.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Bench;

public static partial class DetectionScenarios
{
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
}
