using ModelPerformance.Testing;
using System.Diagnostics;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using Npgsql;

namespace ModelPerformance.Bench;

public static partial class DetectionScenarios
{
    // ---------------------------------------------------------------- checks-10k
    public static async Task Checks10kAsync(string[] options)
    {
        var monitors = options.Length > 0 ? int.Parse(options[0]) : 10_000;
        var steadyMinutes = options.Length > 1 ? double.Parse(options[1]) : 3.5;
        Console.WriteLine($"checks-10k start: {monitors} monitors; load {Load()}");
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = await pg.CreateDatabaseAsync("checks");
        await using var service = await BenchService.StartAsync(connectionString);

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

        var idle = await MeasureCpuAsync(TimeSpan.FromSeconds(45));
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
        var busy = await MeasureCpuAsync(TimeSpan.FromMinutes(steadyMinutes));
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

    private static async Task<long> CountChecksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM model_drift_checks", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
