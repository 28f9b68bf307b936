using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Tests.Infrastructure;

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
        var actual = await service.Services.GetRequiredService<IMonitorHistory>().GetTrendAsync(Key, metric, from, to, bucket);
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
}
