using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Monitors;

[Collection(PostgresCollection.Name)]
public sealed class TrendTests(PostgresServer postgres)
{
    private static readonly MonitorKey Key = new("forecast", "boiler-2");
    private static readonly DateTime Start = new(2026, 11, 2, 22, 17, 30, DateTimeKind.Utc);

    /// <summary>Evaluations every 7 minutes over 9 days, RMSE always, MAE on two of three; a second monitor's rows must not leak in.</summary>
    private static List<EvaluationRow> Rows(MonitorKey key, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 9 * 24 * 60 / 7).Select(i =>
        {
            var metrics = new MetricSet(Rmse: random.NextDouble() * 10, Mae: i % 3 == 0 ? null : random.NextDouble());
            var evaluation = new Evaluation(Guid.CreateVersion7(), key.ModelId, key.MachineId, null, Start.AddMinutes(7 * i), 1, metrics);
            return new EvaluationRow(evaluation, "default", i + 1, null, EvaluationSource.Recorded);
        }).ToList();
    }

    public static TheoryData<Bucket, Metric, int?, int?> Ranges() => new()
    {
        { Bucket.Day, Metric.Rmse, null, null },
        { Bucket.Week, Metric.Rmse, 0, null },
        { Bucket.Hour, Metric.Mae, 95, 4000 },
        { Bucket.Day, Metric.Mae, 61, 11_000 },
        { Bucket.Hour, Metric.Rmse, 10, 40 },
        { Bucket.Minute, Metric.Rmse, 300, 900 },
        { Bucket.Day, Metric.Accuracy, null, null },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Trends_from_hourly_aggregates_equal_trends_over_the_rows(Bucket bucket, Metric metric, int? fromMinute, int? toMinute)
    {
        var connectionString = await postgres.CreateDatabaseAsync("trend");
        await using var service = await RunningService.StartAsync(connectionString);
        var writer = service.Services.GetRequiredService<IHistoryWriter>();
        var reference = new InMemoryHistory();
        var rows = Rows(Key, 1);
        // Appended in several calls, as grains would, so hours are summed across commits.
        foreach (var chunk in rows.Chunk(97))
        {
            await writer.AppendAsync(Key, chunk, batch: null);
            await reference.AppendAsync(Key, chunk, batch: null);
        }
        await writer.AppendAsync(new MonitorKey("forecast", "boiler-3"), Rows(new MonitorKey("forecast", "boiler-3"), 2), batch: null);

        DateTime? from = fromMinute is { } f ? Start.AddMinutes(f).AddSeconds(11) : null;
        DateTime? to = toMinute is { } t ? Start.AddMinutes(t).AddSeconds(43) : null;
        var history = service.Services.GetRequiredService<IMonitorHistory>();
        await AssertSameTrendAsync(reference, history, metric, from, to, bucket);
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var hours = dataSource.CreateCommand("SELECT count(*) FROM model_metric_hourly WHERE model_id = 'forecast' AND machine_id = 'boiler-2'");
            var aggregated = (long)(await hours.ExecuteScalarAsync())!;
            // Rows of these past days are late on arrival for hours no fill has covered, so a trend by hours sums
            // every hour with rows, and a trend by minutes, which reads the rows alone, leaves the table empty.
            var hoursWithRows = rows.Select(r => TrendBuckets.Start(r.Evaluation.EvaluatedAt, Bucket.Hour)).Distinct().Count();
            Assert.Equal(bucket == Bucket.Minute ? 0 : hoursWithRows, aggregated);
        }

        // Evaluations that arrive late for hours the aggregates already cover are added to them.
        var late = Rows(Key, 3).Where((_, i) => i % 40 == 0).Select(r => r with { Seq = r.Seq + 100_000 }).ToList();
        await writer.AppendAsync(Key, late, batch: null);
        await reference.AppendAsync(Key, late, batch: null);
        await AssertSameTrendAsync(reference, history, metric, from, to, bucket);
    }

    [Fact]
    public async Task Late_evaluations_join_the_hourly_aggregates_only_for_hours_a_fill_has_covered()
    {
        var connectionString = await postgres.CreateDatabaseAsync("trendlate");
        await using var service = await RunningService.StartAsync(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        // As a trend by hours leaves an empty history: complete until two days after the first row.
        var coveredUntil = TrendBuckets.Start(Start, Bucket.Hour).AddDays(2);
        await using (var cover = dataSource.CreateCommand(
            "INSERT INTO model_metric_hourly_coverage (model_id, machine_id, covered_until) VALUES (@m, @c, @until)"))
        {
            cover.Parameters.AddWithValue("m", Key.ModelId);
            cover.Parameters.AddWithValue("c", Key.MachineId);
            cover.Parameters.AddWithValue("until", coveredUntil);
            await cover.ExecuteNonQueryAsync();
        }
        var writer = service.Services.GetRequiredService<IHistoryWriter>();
        var reference = new InMemoryHistory();
        var rows = Rows(Key, 4);
        foreach (var chunk in rows.Chunk(97))
        {
            await writer.AppendAsync(Key, chunk, batch: null);
            await reference.AppendAsync(Key, chunk, batch: null);
        }

        // Every row is late; only those of covered hours were added to their hour, the next fill sums the others from the rows.
        await using (var hours = dataSource.CreateCommand("SELECT hour, rmse_n FROM model_metric_hourly WHERE model_id = @m AND machine_id = @c ORDER BY hour"))
        {
            hours.Parameters.AddWithValue("m", Key.ModelId);
            hours.Parameters.AddWithValue("c", Key.MachineId);
            var aggregated = new List<(DateTime Hour, long Count)>();
            await using var reader = await hours.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                aggregated.Add((reader.GetDateTime(0), reader.GetInt64(1)));
            }
            var expected = rows.Where(r => r.Evaluation.EvaluatedAt < coveredUntil)
                .GroupBy(r => TrendBuckets.Start(r.Evaluation.EvaluatedAt, Bucket.Hour))
                .Select(g => (g.Key, (long)g.Count())).ToList();
            Assert.Equal(expected, aggregated);
        }
        var history = service.Services.GetRequiredService<IMonitorHistory>();
        await AssertSameTrendAsync(reference, history, Metric.Rmse, null, null, Bucket.Day);
        await AssertSameTrendAsync(reference, history, Metric.Mae, Start.AddHours(30), Start.AddDays(5), Bucket.Hour);
    }

    private static async Task AssertSameTrendAsync(IMonitorHistory reference, IMonitorHistory history, Metric metric, DateTime? from, DateTime? to, Bucket bucket)
    {
        var actual = await history.GetTrendAsync(Key, metric, from, to, bucket);
        var expected = await reference.GetTrendAsync(Key, metric, from, to, bucket);

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].BucketStart, actual[i].BucketStart);
            Assert.Equal(expected[i].Count, actual[i].Count);
            Assert.Equal(expected[i].Mean, actual[i].Mean, 1e-9);
            Assert.Equal(expected[i].Min, actual[i].Min);
            Assert.Equal(expected[i].Max, actual[i].Max);
        }
        if (metric != Metric.Accuracy)
        {
            Assert.NotEmpty(actual);
        }
    }

    [Fact]
    public async Task The_first_trend_by_hours_fills_the_hourly_aggregates_from_the_rows()
    {
        var connectionString = await postgres.CreateDatabaseAsync("trendfill");
        await using var service = await RunningService.StartAsync(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        // Rows put there without the writer (as a restore would, into the month it creates), so only the fill can aggregate them.
        await using (var insert = dataSource.CreateCommand("""
            SELECT model_history_ensure_partitions('model_performance_metrics', '2026-11-01Z', '2026-11-30Z');
            INSERT INTO model_performance_metrics (id, model_id, machine_id, model_type, seq, source, evaluated_at, recorded_at, rmse)
            SELECT gen_random_uuid(), 'forecast', 'boiler-2', 'default', i, 'RECORDED',
                   timestamptz '2026-11-01 00:00:00Z' + i * interval '13 minutes', now(), (i % 17) * 0.5
            FROM generate_series(1, 2000) AS i
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var history = service.Services.GetRequiredService<IMonitorHistory>();

        var trend = await history.GetTrendAsync(Key, Metric.Rmse, null, null, Bucket.Day);

        await using var expected = dataSource.CreateCommand("""
            SELECT count(*), sum(rmse), min(rmse), max(rmse) FROM model_performance_metrics
            WHERE evaluated_at >= '2026-11-03Z' AND evaluated_at < '2026-11-04Z'
            """);
        await using var reader = await expected.ExecuteReaderAsync();
        await reader.ReadAsync();
        var day = Assert.Single(trend, p => p.BucketStart == new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(reader.GetInt64(0), day.Count);
        Assert.Equal(reader.GetDouble(1) / reader.GetInt64(0), day.Mean, 1e-9);
        Assert.Equal((reader.GetDouble(2), reader.GetDouble(3)), (day.Min, day.Max));
        Assert.Equal(2000, trend.Sum(p => p.Count));
        await using var hours = dataSource.CreateCommand("SELECT count(*), coalesce(sum(rmse_n), 0) FROM model_metric_hourly");
        await using var hoursReader = await hours.ExecuteReaderAsync();
        await hoursReader.ReadAsync();
        Assert.True(hoursReader.GetInt64(0) > 400, "the fill wrote the sealed hours");
        Assert.Equal(2000m, hoursReader.GetDecimal(1));
    }
}
