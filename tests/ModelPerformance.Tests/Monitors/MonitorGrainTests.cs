using ModelPerformance.Grains.History;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Tests.Monitors;

[Collection(InMemoryServiceCollection.Name)]
public sealed class MonitorGrainTests(InMemoryServiceFixture fixture)
{
    private static int counter;

    private static MonitorKey NewKey() => new($"model-{Interlocked.Increment(ref counter)}-{Guid.NewGuid():N}"[..40], "machine-1");

    private IModelMonitorGrain Monitor(MonitorKey key) => fixture.Service.Grains.GetGrain<IModelMonitorGrain>(key.ToString());

    private static PredictionSample Regression(double predicted, double actual, double? feature = null) =>
        new(null, predicted, actual, null, null, feature is { } f ? new Dictionary<string, FeatureValue> { ["load"] = FeatureValue.Of(f) } : null);

    private static PredictionBatch Batch(params PredictionSample[] samples) => new(null, null, null, null, samples);

    [Fact]
    public async Task Evaluations_are_published_as_events_only_while_someone_watches_the_monitor()
    {
        var key = NewKey();
        var hub = fixture.Service.Services.GetRequiredService<ModelPerformance.Grains.Events.EventHub>();
        var published = new System.Collections.Concurrent.ConcurrentQueue<Evaluation>();
        using var subscription = hub.Subscribe(new RecordingObserver(e =>
        {
            if (e is ModelPerformance.Grains.Events.EvaluationRecorded { Evaluation: var evaluation } && evaluation.ModelId == key.ModelId)
            {
                published.Enqueue(evaluation);
            }
        }));
        EvaluationInput Input(string id) => new(id, null, null, null, null, 1, new MetricSet(Rmse: 1));

        await Monitor(key).RecordEvaluationsAsync([Input("unwatched")]);
        await Monitor(key).WatchEvaluationsAsync(TimeSpan.FromMinutes(1));
        var watched = await Monitor(key).RecordEvaluationsAsync([Input("watched")]);
        await Monitor(key).WatchEvaluationsAsync(TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        await Monitor(key).RecordEvaluationsAsync([Input("within the longer lease")]);

        Assert.Equal([watched.Evaluations[0].Id], published.Take(1).Select(e => e.Id));
        Assert.Equal(2, published.Count);
    }

    [Fact]
    public async Task A_lease_that_ran_out_stops_the_events()
    {
        var key = NewKey();
        var hub = fixture.Service.Services.GetRequiredService<ModelPerformance.Grains.Events.EventHub>();
        var published = 0;
        using var subscription = hub.Subscribe(new RecordingObserver(e =>
        {
            if (e is ModelPerformance.Grains.Events.EvaluationRecorded { Evaluation: var evaluation } && evaluation.ModelId == key.ModelId)
            {
                Interlocked.Increment(ref published);
            }
        }));

        await Monitor(key).WatchEvaluationsAsync(TimeSpan.FromMilliseconds(20));
        await Task.Delay(100);
        await Monitor(key).RecordEvaluationsAsync([new EvaluationInput("late", null, null, null, null, 1, new MetricSet(Rmse: 1))]);

        Assert.Equal(0, published);
    }

    private sealed class RecordingObserver(Action<ModelPerformance.Grains.Events.ServiceEvent> onNext) : IObserver<ModelPerformance.Grains.Events.ServiceEvent>
    {
        public void OnNext(ModelPerformance.Grains.Events.ServiceEvent value) => onNext(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }

    [Fact]
    public async Task Current_metrics_are_computed_from_the_window_samples()
    {
        var key = NewKey();
        var result = await Monitor(key).RecordPredictionsAsync(Batch(Regression(1.5, 1), Regression(2, 2), Regression(2, 3), Regression(5, 4)));

        Assert.Equal(4, result.Accepted);
        Assert.Equal(ModelTask.Regression, result.Monitor.Task);
        Assert.Equal(0.625, result.Monitor.Current.Mae!.Value, 12);
        Assert.Equal(0.75, result.Monitor.Current.Rmse!.Value, 12);
        Assert.Equal(0.625, result.Evaluation!.Metrics.Mae!.Value, 12);
        Assert.Equal(4, result.Evaluation.SampleCount);
    }

    [Fact]
    public async Task The_window_keeps_only_the_last_window_size_samples()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { WindowSize = 10, MinSamples = 5 });
        // 15 perfect predictions, then 10 off by 2: the window must see only the last 10.
        await monitor.RecordPredictionsAsync(Batch(Enumerable.Range(0, 15).Select(i => Regression(i, i)).ToArray()));
        var result = await monitor.RecordPredictionsAsync(Batch(Enumerable.Range(0, 10).Select(i => Regression(i + 2, i)).ToArray()));

        Assert.Equal(10, result.Monitor.WindowCount);
        Assert.Equal(25, result.Monitor.SampleCount);
        Assert.Equal(2.0, result.Monitor.Current.Mae!.Value, 12);
    }

    [Fact]
    public async Task A_retried_evaluation_id_is_stored_once_even_after_deactivation()
    {
        var key = NewKey();
        var input = new EvaluationInput("eval-1", null, null, "v1", DateTime.UtcNow.AddMinutes(-1), 10, new MetricSet(Rmse: 2.0));
        var first = await Monitor(key).RecordEvaluationsAsync([input]);
        await fixture.Service.DeactivateAllAsync();
        var again = await Monitor(key).RecordEvaluationsAsync([input]);

        Assert.Equal((1, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 1), (again.Accepted, again.Duplicates));
        Assert.Equal(first.Evaluations[0].Id, again.Evaluations[0].Id);
        var snapshot = await Monitor(key).GetSnapshotAsync();
        Assert.Equal(1, snapshot!.EvaluationCount);
        var history = fixture.Service.Services.GetRequiredService<IMonitorHistory>();
        Assert.Single(await history.GetEvaluationsAsync(key, null, null, 100));
    }

    [Fact]
    public async Task A_retried_batch_id_stores_nothing_new()
    {
        var key = NewKey();
        var batch = Batch(Regression(1, 2), Regression(3, 3)) with { BatchId = "batch-7" };
        var first = await Monitor(key).RecordPredictionsAsync(batch);
        var again = await Monitor(key).RecordPredictionsAsync(batch);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(0, again.Accepted);
        Assert.Equal(2, again.Monitor.SampleCount);
        Assert.Equal(1, again.Monitor.EvaluationCount);
        Assert.Equal(first.Evaluation!.Id, again.Evaluation!.Id);
    }

    [Fact]
    public async Task Input_of_the_other_task_is_rejected_and_stores_nothing()
    {
        var key = NewKey();
        await Monitor(key).RecordPredictionsAsync(Batch(Regression(1, 2)));
        var classification = new PredictionBatch(null, null, null, null, [new PredictionSample(null, null, null, "1", "0", null)]);

        var error = await Assert.ThrowsAsync<ServiceException>(() => Monitor(key).RecordPredictionsAsync(classification));
        Assert.Equal(ModelPerformance.Grains.Interfaces.ErrorCode.BadUserInput, error.Code);
        var evaluation = await Assert.ThrowsAsync<ServiceException>(() =>
            Monitor(key).RecordEvaluationsAsync([new EvaluationInput(null, null, null, null, null, null, new MetricSet(Accuracy: 0.9))]));
        Assert.Equal(["0", "task"], evaluation.Path);
        var snapshot = await Monitor(key).GetSnapshotAsync();
        Assert.Equal((1L, 1L), (snapshot!.SampleCount, snapshot.EvaluationCount));
    }

    [Fact]
    public async Task A_batch_that_changes_a_features_kind_is_rejected_whole()
    {
        var key = NewKey();
        await Monitor(key).RecordPredictionsAsync(Batch(Regression(1, 1, feature: 3.5)));
        var mixed = Batch(Regression(1, 1, feature: 1),
            new PredictionSample(null, 2, 2, null, null, new Dictionary<string, FeatureValue> { ["load"] = FeatureValue.Of("high") }));

        var error = await Assert.ThrowsAsync<ServiceException>(() => Monitor(key).RecordPredictionsAsync(mixed));
        Assert.Equal(["samples", "1", "features", "load"], error.Path);
        Assert.Equal(1, (await Monitor(key).GetSnapshotAsync())!.SampleCount);
    }

    [Fact]
    public async Task Recorded_evaluations_are_weighted_by_sample_count_and_rmse_by_its_square()
    {
        var key = NewKey();
        var result = await Monitor(key).RecordEvaluationsAsync([
            new EvaluationInput(null, null, null, null, null, 1, new MetricSet(Rmse: 1.0, Mae: 1.0)),
            new EvaluationInput(null, null, null, null, null, 3, new MetricSet(Rmse: 3.0, Mae: 3.0)),
        ]);
        var snapshot = await Monitor(key).GetSnapshotAsync();

        Assert.Equal(2, result.Accepted);
        Assert.Equal((1.0 + 3 * 3.0) / 4, snapshot!.Current.Mae!.Value, 12);
        Assert.Equal(Math.Sqrt((1.0 + 3 * 9.0) / 4), snapshot.Current.Rmse!.Value, 12);
    }

    [Fact]
    public async Task Samples_of_another_version_are_counted_but_stay_out_of_the_window()
    {
        var key = NewKey();
        await Monitor(key).RecordPredictionsAsync(Batch(Regression(1, 1)) with { ModelVersion = "v1" });
        var result = await Monitor(key).RecordPredictionsAsync(Batch(Regression(10, 1)) with { ModelVersion = "v2" });

        Assert.Equal("v1", result.Monitor.ActiveVersion);
        Assert.Equal(2, result.Monitor.SampleCount);
        Assert.Equal(1, result.Monitor.WindowCount);
        Assert.Equal(0.0, result.Monitor.Current.Mae!.Value);
    }

    [Fact]
    public async Task The_full_reference_becomes_the_baseline_and_degradation_is_judged_against_it()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        await monitor.ConfigureAsync("forecast", new MonitorConfigPatch { ReferenceSize = 10, WindowSize = 10, MinSamples = 10 });
        await monitor.RecordPredictionsAsync(Batch(Enumerable.Range(0, 10).Select(i => Regression(i + 1, i)).ToArray()));
        var result = await monitor.RecordPredictionsAsync(Batch(Enumerable.Range(0, 10).Select(i => Regression(i + 2, i)).ToArray()));

        Assert.Equal(1.0, result.Monitor.Baseline!.Mae!.Value, 12);
        var mae = Assert.Single(result.Monitor.Degradation, d => d.Metric == Metric.Mae);
        Assert.Equal(1.0, mae.RelativeChange, 12);
        Assert.Equal(HealthStatus.Critical, mae.Status);
        Assert.Equal(HealthStatus.Critical, result.Monitor.Health);
        Assert.Equal("forecast", result.Monitor.ModelType);
    }

    [Fact]
    public async Task Degradation_is_unknown_while_the_window_has_fewer_than_min_samples()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        await monitor.RecordPredictionsAsync(Batch(Regression(1, 2)));
        var snapshot = await monitor.SetBaselineAsync(new MetricSet(Mae: 0.1));

        Assert.All(snapshot.Degradation, d => Assert.Equal(HealthStatus.Unknown, d.Status));
    }

    [Fact]
    public async Task A_configuration_that_breaks_a_rule_names_the_field_and_changes_nothing()
    {
        var key = NewKey();
        var error = await Assert.ThrowsAsync<ServiceException>(() =>
            Monitor(key).ConfigureAsync(null, new MonitorConfigPatch { WarningDegradation = 0.5, CriticalDegradation = 0.2 }));

        Assert.Equal(["criticalDegradation"], error.Path);
        Assert.Null(await Monitor(key).GetSnapshotAsync());
    }

    [Fact]
    public async Task A_monitor_tracks_at_most_256_distinct_features_whatever_arrives()
    {
        var key = NewKey();
        PredictionSample WithFeatures(int from, int count) => new(null, 1, 1, null, null,
            Enumerable.Range(from, count).ToDictionary(i => $"f{i}", i => FeatureValue.Of(i)));
        await Monitor(key).RecordPredictionsAsync(Batch(WithFeatures(0, 200)));

        var error = await Assert.ThrowsAsync<ServiceException>(() => Monitor(key).RecordPredictionsAsync(Batch(WithFeatures(200, 100))));
        Assert.Contains("256", error.Message);
        var accepted = await Monitor(key).RecordPredictionsAsync(Batch(WithFeatures(150, 100)));
        Assert.Equal(1, accepted.Accepted);
        Assert.Equal(2, accepted.Monitor.SampleCount);
    }
}
