using ModelPerformance.Testing;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

/// <summary>memory: the managed heap an active monitor holds.</summary>
static partial class Scenarios
{
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
}
