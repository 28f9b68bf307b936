using ModelPerformance.Testing;
using System.Diagnostics;
using System.Text.Json;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

/// <summary>predictions-memory: prediction samples into monitors in memory.</summary>
static partial class Scenarios
{
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
}
