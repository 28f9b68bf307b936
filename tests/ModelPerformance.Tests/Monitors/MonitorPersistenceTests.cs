using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Monitors;

[Collection(PostgresCollection.Name)]
public sealed class MonitorPersistenceTests(PostgresServer postgres)
{
    private static readonly MonitorKey Key = new("baseline-model", "press-7");

    private static PredictionBatch Batch(string batchId, params (double Predicted, double Actual)[] samples) =>
        new(batchId, "energy", null, "v1", samples.Select(s => new PredictionSample(null, s.Predicted, s.Actual, null, null,
            new Dictionary<string, FeatureValue> { ["temp"] = FeatureValue.Of(s.Actual * 2) })).ToList());

    [Fact]
    public async Task History_and_monitor_state_survive_a_silo_restart()
    {
        var connectionString = await postgres.CreateDatabaseAsync("restart");
        Guid evaluationId;
        await using (var first = await RunningService.StartAsync(connectionString))
        {
            var grain = first.Grains.GetGrain<IModelMonitorGrain>(Key.ToString());
            var result = await grain.RecordEvaluationsAsync([
                new EvaluationInput("e-1", "energy", null, "v1", new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc), 50, new MetricSet(Rmse: 2, Mae: 1.5)),
            ]);
            evaluationId = result.Evaluations[0].Id;
        }

        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            // State is stored in Orleans' binary format, not JSON, which is several times larger for windows of numbers.
            await using var payload = dataSource.CreateCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString LIKE '%monitor%' AND PayloadBinary IS NOT NULL");
            var bytes = (byte[])(await payload.ExecuteScalarAsync())!;
            Assert.NotEqual((byte)'{', bytes[0]);
        }

        await using var second = await RunningService.StartAsync(connectionString);
        var snapshot = await second.Grains.GetGrain<IModelMonitorGrain>(Key.ToString()).GetSnapshotAsync();
        var history = second.Services.GetRequiredService<IMonitorHistory>();
        var evaluations = await history.GetEvaluationsAsync(Key, null, null, 10);
        var retry = await second.Grains.GetGrain<IModelMonitorGrain>(Key.ToString()).RecordEvaluationsAsync([
            new EvaluationInput("e-1", "energy", null, "v1", DateTime.UtcNow, 50, new MetricSet(Rmse: 2, Mae: 1.5)),
        ]);

        Assert.Equal(1, snapshot!.EvaluationCount);
        Assert.Equal(2.0, snapshot.Current.Rmse);
        Assert.Equal("energy", snapshot.ModelType);
        Assert.Equal(evaluationId, Assert.Single(evaluations).Id);
        Assert.Equal(1, retry.Duplicates);
        var page = await history.ListMonitorsAsync(new MonitorFilter("energy"), MonitorOrder.Id, 10, null);
        Assert.Equal([Key], page.Monitors.Select(m => m.Key));
    }

    [Fact]
    public async Task Watching_a_monitor_that_does_not_exist_stores_no_state_while_an_existing_one_saves_its_lease()
    {
        var connectionString = await postgres.CreateDatabaseAsync("watch");
        await using var service = await RunningService.StartAsync(connectionString);
        var serviceId = service.Services.GetRequiredService<ModelPerformance.Silo.Hosting.ServiceSettings>().ServiceId;
        var unknown = new MonitorKey("nobody-records", "machine-1");
        var known = new MonitorKey("someone-records", "machine-1");
        await service.Grains.GetGrain<IModelMonitorGrain>(known.ToString()).RecordEvaluationsAsync([
            new EvaluationInput("w-1", "energy", null, null, null, 10, new MetricSet(Rmse: 1)),
        ]);

        await service.Grains.GetGrain<IModelMonitorGrain>(unknown.ToString()).WatchEvaluationsAsync(TimeSpan.FromMinutes(1));
        await service.Grains.GetGrain<IModelMonitorGrain>(known.ToString()).WatchEvaluationsAsync(TimeSpan.FromMinutes(1));
        await service.DeactivateAllAsync();

        Assert.Empty(await OrleansTables.StorageRowsAsync(connectionString, serviceId, keyText: unknown.ToString()));
        Assert.Equal([(1, true)], await OrleansTables.StorageRowsAsync(connectionString, serviceId, keyText: known.ToString()));
    }

    [Fact]
    public async Task A_monitor_whose_saved_state_was_lost_rebuilds_its_window_from_history()
    {
        var connectionString = await postgres.CreateDatabaseAsync("replay");
        MonitorSnapshot before;
        await using (var first = await RunningService.StartAsync(connectionString))
        {
            var grain = first.Grains.GetGrain<IModelMonitorGrain>(Key.ToString());
            await grain.RecordPredictionsAsync(Batch("b-1", (1, 2), (3, 3)));
            before = (await grain.RecordPredictionsAsync(Batch("b-2", (5, 4), (4, 8)))).Monitor;
        }
        // What a crash between the history commit and the next state save leaves behind.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var wipe = dataSource.CreateCommand("DELETE FROM OrleansStorage");
            Assert.True(await wipe.ExecuteNonQueryAsync() > 0);
        }

        await using var second = await RunningService.StartAsync(connectionString);
        var grainAfter = second.Grains.GetGrain<IModelMonitorGrain>(Key.ToString());
        var after = await grainAfter.GetSnapshotAsync();
        var retried = await grainAfter.RecordPredictionsAsync(Batch("b-2", (5, 4), (4, 8)));

        Assert.NotNull(after);
        Assert.Equal(before.SampleCount, after.SampleCount);
        Assert.Equal(before.EvaluationCount, after.EvaluationCount);
        Assert.Equal(before.WindowCount, after.WindowCount);
        Assert.Equal(before.Current, after.Current);
        Assert.Equal(before.Task, after.Task);
        Assert.True(retried.Duplicate);
    }

    [Fact]
    public async Task Recorded_evaluations_window_is_rebuilt_from_history_not_saved_with_the_state()
    {
        var connectionString = await postgres.CreateDatabaseAsync("recorded_window");
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        MonitorSnapshot before;
        await using (var first = await RunningService.StartAsync(connectionString))
        {
            var grain = first.Grains.GetGrain<IModelMonitorGrain>(Key.ToString());
            await grain.ConfigureAsync("energy", new MonitorConfigPatch { WindowSize = 50 });
            // 400 evaluations of v1 (only the last 50 count), then one of another version, which is not the champion's.
            for (var i = 0; i < 400; i += 100)
            {
                await grain.RecordEvaluationsAsync(Enumerable.Range(i, 100).Select(j =>
                    new EvaluationInput($"e-{j}", "energy", null, "v1", start.AddMinutes(j), 1 + j % 3, new MetricSet(Rmse: j, Mae: j / 2.0))).ToList());
            }
            await grain.RecordEvaluationsAsync([
                new EvaluationInput("other", "energy", null, "v2", start.AddDays(1), 10, new MetricSet(Rmse: 1e6, Mae: 1e6)),
            ]);
            before = (await grain.GetSnapshotAsync())!;
        }

        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var payload = dataSource.CreateCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString LIKE '%monitor%' AND PayloadBinary IS NOT NULL");
            var bytes = (byte[])(await payload.ExecuteScalarAsync())!;
            // 400 evaluations of 2 metrics and a weight would take several kilobytes if the window were saved.
            Assert.True(bytes.Length < 2_000, $"saved state is {bytes.Length} bytes");
        }

        await using var second = await RunningService.StartAsync(connectionString);
        var after = await second.Grains.GetGrain<IModelMonitorGrain>(Key.ToString()).GetSnapshotAsync();

        var expectedWeights = Enumerable.Range(350, 50).Select(j => (Value: (double)j, Weight: 1 + j % 3)).ToList();
        var expectedRmse = Math.Sqrt(expectedWeights.Sum(e => e.Weight * e.Value * e.Value) / expectedWeights.Sum(e => e.Weight));
        Assert.NotNull(after);
        Assert.Equal(before.Current, after.Current);
        Assert.Equal(expectedRmse, after.Current.Rmse!.Value, 9);
        Assert.Equal(401, after.EvaluationCount);
    }
}
