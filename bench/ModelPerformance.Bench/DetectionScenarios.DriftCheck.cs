using ModelPerformance.Testing;
using System.Diagnostics;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Bench;

public static partial class DetectionScenarios
{
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
}
