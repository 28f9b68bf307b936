using ModelPerformance.Testing;
using System.Diagnostics;
using System.Text.Json;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using Npgsql;
using NpgsqlTypes;

/// <summary>trend-pg: the trend query on PostgreSQL against the plain SQL aggregate.</summary>
static partial class Scenarios
{
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
}
