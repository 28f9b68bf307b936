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
        var page = await history.ListMonitorsAsync(new MonitorFilter("energy", null, null), 10, null);
        Assert.Equal([Key], page.Keys);
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
}
