using System.Diagnostics;
using System.Text.Json;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Bench;

/// <summary>
/// A/B tests in memory mode: assignment and batched outcomes over HTTP against a no-op endpoint of the same app, and
/// what a running test costs ingestion of predictions, with and without one, alternating in the same run.
/// </summary>
public static class AbTestScenarios
{
    private const string MachineId = "bench";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A monitor with champion v1 (seen in data) and v2 registered, and a test of the two that never decides.</summary>
    private static async Task<Guid> StartTestAsync(BenchService service, string modelId)
    {
        var monitor = service.Grains.GetGrain<IModelMonitorGrain>($"{modelId}/{MachineId}");
        await monitor.RecordPredictionsAsync(new PredictionBatch(null, "bench", ModelTask.Regression, "v1", Scenarios.Samples(5, 0)));
        await monitor.RegisterVersionAsync("v2", null, null);
        // A minimum no arm reaches: the test stays RUNNING, however its sequential p-value moves.
        var test = await monitor.StartAbTestAsync(new AbTestDefinition(modelId, MachineId, "v1", "v2", 0.5, Metric.Mae, int.MaxValue, 24, false));
        return test.Id;
    }

    /// <summary>assignAbArm from 32 clients, a new unit per call, against the no-op POST with the same bodies.</summary>
    public static async Task AssignAsync()
    {
        await using var service = await BenchService.StartAsync(null, Scenarios.MapNoop);
        using var http = Scenarios.NewHttpClient(service);
        var testId = await StartTestAsync(service, "ab-assign");
        const int clients = 32;
        var counter = 0L;
        byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation A($testId: ID!, $unitKey: String!) { assignAbArm(testId: $testId, unitKey: $unitKey) { arm version } }",
            variables = new { testId, unitKey = $"meter-{Interlocked.Increment(ref counter)}" },
        }, Json);

        await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(10), Body);
        var (rate, p50, p99, n, cpu, gc) = await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(15), Body);
        Console.WriteLine($"RESULT ab-assign assignAbArm {clients} clients 15 s: {n} calls, {rate:F0} calls/s, p50 {p50:F2} ms, p99 {p99:F2} ms, process CPU {cpu:F3} ms/call, {gc}");
        await Scenarios.ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(2), Body);
        var (nrate, np50, np99, nn, ncpu, _) = await Scenarios.ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(5), Body);
        Console.WriteLine($"RESULT ab-assign baseline no-op POST same bodies {clients} clients 5 s: {nn} calls, {nrate:F0} calls/s, p50 {np50:F2} ms, p99 {np99:F2} ms, " +
                          $"process CPU {ncpu:F3} ms/call; ratio {rate / nrate:F2}");
    }

    /// <summary>recordAbOutcomes of 1,000 outcomes per call (half to each arm) from 1 and 4 clients, against the no-op POST of the same bodies.</summary>
    public static async Task OutcomesAsync()
    {
        await using var service = await BenchService.StartAsync(null, Scenarios.MapNoop);
        using var http = Scenarios.NewHttpClient(service);
        var testId = await StartTestAsync(service, "ab-outcomes");
        var random = new Random(1);
        var bodies = Enumerable.Range(0, 8).Select(_ => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation R($testId: ID!, $outcomes: [AbOutcomeInput!]!) { recordAbOutcomes(testId: $testId, outcomes: $outcomes) { status } }",
            variables = new { testId, outcomes = Enumerable.Range(0, 1_000).Select(i => new { arm = i % 2 == 0 ? "A" : "B", value = Math.Round(random.NextDouble() * 2, 4) }).ToArray() },
        }, Json)).ToArray();
        var next = 0;
        byte[] Body() => bodies[Interlocked.Increment(ref next) % bodies.Length];
        Console.WriteLine($"ab-outcomes: a body of 1,000 outcomes is {bodies[0].Length:N0} bytes");

        foreach (var clients in new[] { 1, 4 })
        {
            await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(5), Body);
            var (rate, p50, p99, n, cpu, gc) = await Scenarios.ClosedLoopAsync(http, "/graphql", clients, TimeSpan.FromSeconds(10), Body);
            Console.WriteLine($"RESULT ab-outcomes recordAbOutcomes 1,000 per call, {clients} clients 10 s: {n} calls, {rate * 1_000:F0} outcomes/s, p50 {p50:F2} ms, p99 {p99:F2} ms, " +
                              $"process CPU {cpu:F3} ms/call, {gc}");
            await Scenarios.ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(2), Body);
            var (nrate, np50, _, nn, ncpu, _) = await Scenarios.ClosedLoopAsync(http, "/bench/noop", clients, TimeSpan.FromSeconds(5), Body);
            Console.WriteLine($"RESULT ab-outcomes baseline no-op POST same bodies, {clients} clients 5 s: {nn} calls, {nrate * 1_000:F0} outcomes/s, p50 {np50:F2} ms, " +
                              $"process CPU {ncpu:F3} ms/call; ratio {rate / nrate:F2}");
        }
    }

    /// <summary>
    /// RecordPredictionsAsync grain calls of 100 samples with 10 features, v1 and v2 alternately, from 32 callers over 100
    /// monitors that run a test of v1 against v2 and 100 that have the same versions and none; 5 s windows of each
    /// alternating, after a warm-up of both.
    /// </summary>
    public static async Task PredictionsAsync()
    {
        await using var service = await BenchService.StartAsync(null);
        const int monitors = 100;
        const int callers = 32;
        const int rounds = 4;
        var plain = new IModelMonitorGrain[monitors];
        var tested = new IModelMonitorGrain[monitors];
        var testIds = new Guid[monitors];
        for (var i = 0; i < monitors; i++)
        {
            plain[i] = service.Grains.GetGrain<IModelMonitorGrain>($"plain{i:D3}/{MachineId}");
            await plain[i].RecordPredictionsAsync(new PredictionBatch(null, "bench", ModelTask.Regression, "v1", Scenarios.Samples(5, 0)));
            await plain[i].RegisterVersionAsync("v2", null, null);
            testIds[i] = await StartTestAsync(service, $"tested{i:D3}");
            tested[i] = service.Grains.GetGrain<IModelMonitorGrain>($"tested{i:D3}/{MachineId}");
        }
        var batches = Enumerable.Range(0, 16)
            .Select(s => new PredictionBatch(null, "bench", ModelTask.Regression, s % 2 == 0 ? "v1" : "v2", Scenarios.Samples(100, s)))
            .ToArray();

        async Task<double> RunAsync(IModelMonitorGrain[] grains, TimeSpan duration)
        {
            long samples = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                for (var k = 0; sw.Elapsed < duration; k++)
                {
                    var result = await grains[(c + k * callers) % monitors].RecordPredictionsAsync(batches[(c + k) % batches.Length]);
                    Interlocked.Add(ref samples, result.Accepted);
                }
            })));
            return samples / sw.Elapsed.TotalSeconds;
        }

        await RunAsync(plain, TimeSpan.FromSeconds(5));
        await RunAsync(tested, TimeSpan.FromSeconds(5));
        var without = new List<double>();
        var with = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            without.Add(await RunAsync(plain, TimeSpan.FromSeconds(5)));
            with.Add(await RunAsync(tested, TimeSpan.FromSeconds(5)));
        }
        var test = await service.Grains.GetGrain<IAbTestGrain>(testIds[0]).GetAsync();
        Console.WriteLine($"ab-predictions: windows without {string.Join(", ", without.Select(r => r.ToString("F0")))}; with {string.Join(", ", with.Select(r => r.ToString("F0")))} samples/s; " +
                          $"a tested monitor's test has {test!.Results.A.Samples} + {test.Results.B.Samples} outcomes");
        Console.WriteLine($"RESULT ab-predictions RecordPredictionsAsync 100 samples x 10 features, {callers} callers, {monitors} monitors, {rounds} x 5 s each: " +
                          $"with a running test {with.Average():F0} samples/s, without {without.Average():F0} samples/s; with/without {with.Average() / without.Average():F3}");
    }
}
