using System.Diagnostics;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.History;
using ModelPerformance.Testing;
using Npgsql;
using static ModelPerformance.Testing.DataSourceSql;

namespace ModelPerformance.Bench;

/// <summary>
/// Trends over a history at scale: 50 million evaluations of 500 monitors over 24 months in the partitioned table, a
/// trend of one monitor in 30 DAY buckets (and in WEEK buckets over all 24 months), against the plainest SQL aggregate of
/// that monitor's rows.
/// </summary>
public static class HistoryScenarios
{
    private const int Monitors = 500;
    private const int RowsPerMonitor = 100_000;
    private const int Months = 24;

    public static async Task Trend50mAsync(string[] args)
    {
        var monitors = args.Length > 0 ? int.Parse(args[0]) : Monitors;
        // A read figure: the load runs with durability off to take minutes rather than an hour; the reads do not depend on it.
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions);
        var connectionString = new NpgsqlConnectionStringBuilder(await pg.CreateDatabaseAsync("trend50m")) { CommandTimeout = 0 }.ConnectionString;
        var to = DateTime.UtcNow.Date.AddDays(-1);
        var from = to.AddMonths(-Months);
        var step = (to - from) / RowsPerMonitor;

        var service = await BenchService.StartAsync(connectionString, clusterId: "trend50m");
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var load = Stopwatch.StartNew();
        await LoadAsync(dataSource, monitors, from, step);
        await ExecuteAsync(dataSource, "VACUUM ANALYZE");
        var size = await ScalarAsync<string>(dataSource,
            "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'model_performance_metrics'::regclass");
        var count = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_performance_metrics");
        Console.WriteLine($"trend-50m: loaded {count:N0} rows ({monitors} monitors x {RowsPerMonitor:N0}, {from:yyyy-MM-dd} to {to:yyyy-MM-dd}) and VACUUM ANALYZE in {load.Elapsed.TotalMinutes:F1} min; table and indexes {size}");

        var history = service.Services.GetRequiredService<IMonitorHistory>();
        var recent = to.AddDays(-30);
        Task<IReadOnlyList<TrendPoint>> Trend(int monitor) =>
            history.GetTrendAsync(Key(monitor), Metric.Rmse, recent, to, Bucket.Day);
        Task<IReadOnlyList<TrendPoint>> LongTrend(int monitor) =>
            history.GetTrendAsync(Key(monitor), Metric.Rmse, from, to, Bucket.Week);

        // The first trend of every monitor sums its rows into hours (once: the hours are kept); every monitor gets one.
        var first = new List<double>();
        for (var m = 0; m < monitors; m++)
        {
            first.Add(await TimeAsync(() => Trend(m)));
        }
        first.Sort();
        Console.WriteLine($"RESULT trend-50m first trend of each of {monitors} monitors (fills its hourly sums): median {Stats.Percentile(first, 50):F1} ms, p95 {Stats.Percentile(first, 95):F1} ms, max {first[^1]:F1} ms");

        foreach (var (name, trend, start) in new[] { ("DAY trend of the last 30 days", (Func<int, Task<IReadOnlyList<TrendPoint>>>)Trend, recent), ("WEEK trend of all 24 months", LongTrend, from) })
        {
            var probe = await trend(monitors - 1);
            var expected = await PlainTrendAsync(dataSource, monitors - 1, name.StartsWith("DAY", StringComparison.Ordinal) ? "day" : "week", start, to);
            if (probe.Count != expected.Count || probe.Zip(expected).Any(p => p.First.Count != p.Second.Count || Math.Abs(p.First.Mean - p.Second.Mean) > 1e-9))
            {
                throw new InvalidOperationException($"{name}: the service's trend differs from the SQL aggregate of the rows");
            }
            var warm = await RunsAsync(50, i => trend(i % monitors));
            var plain = await RunsAsync(50, i => PlainTrendAsync(dataSource, i % monitors, name.StartsWith("DAY", StringComparison.Ordinal) ? "day" : "week", start, to));
            Console.WriteLine($"RESULT trend-50m warm {name} ({probe.Count} buckets), 50 runs over different monitors: service median {Stats.Percentile(warm, 50):F1} ms, " +
                              $"p95 {Stats.Percentile(warm, 95):F1} ms; baseline SQL over the raw rows median {Stats.Percentile(plain, 50):F1} ms, p95 {Stats.Percentile(plain, 95):F1} ms; " +
                              $"service/baseline {Stats.Percentile(warm, 50) / Stats.Percentile(plain, 50):F3}");
        }

        // After a restart of the service and of PostgreSQL (its shared buffers empty; the OS page cache dropped if this user may).
        await service.DisposeAsync();
        await ExecuteAsync(dataSource, "CHECKPOINT");
        NpgsqlConnection.ClearAllPools();
        await dataSource.DisposeAsync();
        await pg.StopAsync();
        var cacheDropped = DropOsCache();
        await pg.RestartAsync();
        dataSource = NpgsqlDataSource.Create(connectionString);
        service = await BenchService.StartAsync(connectionString, clusterId: "trend50m");
        history = service.Services.GetRequiredService<IMonitorHistory>();
        var afterRestart = await TimeAsync(() => Trend(monitors / 2));
        var secondAfterRestart = await TimeAsync(() => Trend(monitors / 2 + 1));
        var plainAfterRestart = await TimeAsync(() => PlainTrendAsync(dataSource, monitors / 2 + 2, "day", recent, to));
        Console.WriteLine($"RESULT trend-50m first trend after a restart of service and PostgreSQL (OS page cache {(cacheDropped ? "dropped" : "NOT dropped: no permission")}): " +
                          $"DAY trend of the last 30 days {afterRestart:F1} ms; the next, another monitor: {secondAfterRestart:F1} ms; baseline SQL's first for a third monitor: {plainAfterRestart:F1} ms");
        await service.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    private static MonitorKey Key(int monitor) => new($"fleet-{monitor:D3}", "site-1");

    /// <summary>
    /// Loads the rows in time order (ids time-ordered too, as the service's are) straight in the server, a month a statement,
    /// two statements at a time; the months' partitions first, as the service would create them.
    /// </summary>
    private static async Task LoadAsync(NpgsqlDataSource dataSource, int monitors, DateTime from, TimeSpan step)
    {
        await using (var partitions = dataSource.CreateCommand("SELECT model_history_ensure_partitions('model_performance_metrics', @from, @to)"))
        {
            partitions.Parameters.AddWithValue("from", from);
            partitions.Parameters.AddWithValue("to", from + step * RowsPerMonitor);
            await partitions.ExecuteNonQueryAsync();
        }
        var chunks = Enumerable.Range(0, Months + 1).Select(month =>
        {
            var start = new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(month);
            var first = Math.Max(0, (long)Math.Ceiling((start - from) / step));
            var last = Math.Min(RowsPerMonitor - 1, (long)Math.Ceiling((start.AddMonths(1) - from) / step) - 1);
            return (First: first, Last: last);
        }).Where(c => c.First <= c.Last).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < chunks.Count)
            {
                await using var insert = dataSource.CreateCommand("""
                    INSERT INTO model_performance_metrics (id, model_id, machine_id, model_type, seq, source, evaluated_at, recorded_at, sample_count, r_squared, rmse, mae, mape)
                    SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(k * @monitors + m), 12, '0'))::uuid, 'fleet-' || lpad(m::text, 3, '0'), 'site-1', 'energy-baseline',
                           k + 1, 'RECORDED', @from + k * @step, @from + k * @step, 96, 0.8 + (k % 17) * 0.01, 1 + ((k * 7 + m) % 23) * 0.1, 0.5 + (k % 11) * 0.05, 3 + (m % 5)
                    FROM generate_series(@first, @last) AS k, generate_series(0, @monitors - 1) AS m
                    ORDER BY k, m
                    """);
                insert.Parameters.AddWithValue("monitors", (long)monitors);
                insert.Parameters.AddWithValue("from", from);
                insert.Parameters.AddWithValue("step", step);
                insert.Parameters.AddWithValue("first", chunks[i].First);
                insert.Parameters.AddWithValue("last", chunks[i].Last);
                await insert.ExecuteNonQueryAsync();
            }
        })));
        // The monitors, as the service registers them on their first evaluation.
        await ExecuteAsync(dataSource, $"INSERT INTO model_monitors (model_id, machine_id, model_type, task) SELECT 'fleet-' || lpad(m::text, 3, '0'), 'site-1', 'energy-baseline', 'REGRESSION' FROM generate_series(0, {monitors - 1}) AS m");
    }

    /// <summary>The plainest SQL answer: the monitor's rows in the range, grouped by the bucket's field (day or week).</summary>
    private static async Task<IReadOnlyList<TrendPoint>> PlainTrendAsync(NpgsqlDataSource dataSource, int monitor, string field, DateTime from, DateTime to)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT date_trunc('{field}', evaluated_at, 'UTC') AS b, count(rmse), avg(rmse), min(rmse), max(rmse) FROM model_performance_metrics
            WHERE model_id = @m AND machine_id = @c AND rmse IS NOT NULL AND evaluated_at >= @from AND evaluated_at < @to GROUP BY b ORDER BY b
            """);
        var key = Key(monitor);
        command.Parameters.AddWithValue("m", key.ModelId);
        command.Parameters.AddWithValue("c", key.MachineId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var points = new List<TrendPoint>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            points.Add(new TrendPoint(reader.GetFieldValue<DateTime>(0), (int)reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
        }
        return points;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<List<double>> RunsAsync<T>(int runs, Func<int, Task<T>> run)
    {
        for (var i = 0; i < 5; i++)
        {
            await run(i);
        }
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            times.Add(await TimeAsync(() => run(i)));
        }
        times.Sort();
        return times;
    }

    private static bool DropOsCache()
    {
        try
        {
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
