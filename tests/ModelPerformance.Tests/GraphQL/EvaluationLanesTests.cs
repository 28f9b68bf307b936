using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;

namespace ModelPerformance.Tests.GraphQL;

public sealed class EvaluationLanesTests
{
    private static readonly MonitorKey Key = new("lane-model", "machine-1");

    private static EvaluationInput Input(string id, string? modelType = null) =>
        new(id, modelType, null, null, null, 1, new MetricSet(Rmse: 1));

    [Fact]
    public async Task Inputs_that_arrive_during_a_call_go_together_in_the_next_and_each_request_gets_its_own_answer()
    {
        var monitor = new HeldMonitor();
        monitor.Stored.Add("c");
        var lanes = new EvaluationLanes(_ => monitor);

        var first = lanes.RecordAsync(Key, [Input("a")]);
        await monitor.FirstCallArrived;
        var second = lanes.RecordAsync(Key, [Input("b1"), Input("b2")]);
        var third = lanes.RecordAsync(Key, [Input("c"), Input("d")]);
        Assert.False(second.IsCompleted);
        monitor.Release();

        var (a, b, cd) = (await first, await second, await third);
        Assert.Equal([["a"], ["b1", "b2", "c", "d"]], monitor.Calls);
        Assert.Equal(["a"], a.Evaluations.Select(e => e.ModelVersion));
        Assert.Equal(["b1", "b2"], b.Evaluations.Select(e => e.ModelVersion));
        Assert.Equal((2, 0), (b.Accepted, b.Duplicates));
        Assert.Empty(b.DuplicateIndexes);
        Assert.Equal(["c", "d"], cd.Evaluations.Select(e => e.ModelVersion));
        Assert.Equal((1, 1), (cd.Accepted, cd.Duplicates));
        Assert.Equal([0], cd.DuplicateIndexes);

        // The lane retired when nothing waited: a later request is sent at once, alone.
        await lanes.RecordAsync(Key, [Input("e")]);
        Assert.Equal(["e"], monitor.Calls[^1]);
    }

    [Fact]
    public async Task A_combined_call_the_monitor_rejects_is_sent_again_part_by_part_so_only_the_bad_request_fails()
    {
        var monitor = new HeldMonitor();
        var lanes = new EvaluationLanes(_ => monitor);

        var first = lanes.RecordAsync(Key, [Input("a")]);
        await monitor.FirstCallArrived;
        var good = lanes.RecordAsync(Key, [Input("g")]);
        var bad = lanes.RecordAsync(Key, [Input("x"), Input("y", modelType: "rejected")]);
        monitor.Release();

        await first;
        Assert.Equal(["g"], (await good).Evaluations.Select(e => e.ModelVersion));
        var error = await Assert.ThrowsAsync<ServiceException>(() => bad);
        Assert.Equal(["1", "modelType"], error.Path);
        Assert.Equal([["a"], ["g", "x", "y"], ["g"], ["x", "y"]], monitor.Calls);
    }

    [Fact]
    public async Task A_failure_that_is_not_bad_input_reaches_every_request_of_the_call()
    {
        var monitor = new HeldMonitor { Failure = new InvalidOperationException("the history writer is shut down") };
        var lanes = new EvaluationLanes(_ => monitor);

        var first = lanes.RecordAsync(Key, [Input("a")]);
        await monitor.FirstCallArrived;
        var second = lanes.RecordAsync(Key, [Input("b")]);
        var third = lanes.RecordAsync(Key, [Input("c")]);
        monitor.Release();

        foreach (var call in new[] { first, second, third })
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => call);
        }
        Assert.Equal(2, monitor.Calls.Count);
    }

    [Fact]
    public async Task A_failure_before_the_grain_is_called_still_answers_the_request_and_frees_the_lane()
    {
        var calls = 0;
        var monitor = new HeldMonitor();
        monitor.Release();
        var lanes = new EvaluationLanes(_ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("no reference") : monitor);

        // The wait is a guard against a request that is never answered, not a timing assertion.
        await Assert.ThrowsAsync<InvalidOperationException>(() => lanes.RecordAsync(Key, [Input("a")]).WaitAsync(TimeSpan.FromSeconds(30)));
        var next = await lanes.RecordAsync(Key, [Input("b")]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, next.Accepted);
    }

    [Fact]
    public async Task Different_monitors_do_not_wait_for_each_other()
    {
        var held = new HeldMonitor();
        var free = new HeldMonitor();
        free.Release();
        var other = new MonitorKey("lane-model", "machine-2");
        var lanes = new EvaluationLanes(k => k == Key ? held : free);

        var waiting = lanes.RecordAsync(Key, [Input("a")]);
        await held.FirstCallArrived;
        var result = await lanes.RecordAsync(other, [Input("b")]);

        Assert.Equal(1, result.Accepted);
        Assert.False(waiting.IsCompleted);
        held.Release();
        await waiting;
    }

    /// <summary>
    /// A monitor that holds its calls until released, records what each call carried (evaluation ids), answers
    /// each input with an evaluation whose ModelVersion is the input's id, and rejects a call holding an input with
    /// model type "rejected", naming it by its index as the real monitor does.
    /// </summary>
    private sealed class HeldMonitor : IModelMonitorGrain
    {
        private readonly TaskCompletionSource firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HashSet<string> Stored { get; } = [];

        public List<string[]> Calls { get; } = [];

        public Exception? Failure { get; init; }

        public Task FirstCallArrived => firstCall.Task;

        public void Release() => released.TrySetResult();

        public async Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<EvaluationInput> inputs)
        {
            lock (Calls)
            {
                Calls.Add(inputs.Select(i => i.EvaluationId!).ToArray());
            }
            firstCall.TrySetResult();
            await released.Task;
            if (Failure is not null)
            {
                throw Failure;
            }
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].ModelType == "rejected")
                {
                    throw ServiceException.BadInput("rejected", i, "modelType");
                }
            }
            var duplicates = new List<int>();
            var evaluations = new List<Evaluation>();
            for (var i = 0; i < inputs.Count; i++)
            {
                if (!Stored.Add(inputs[i].EvaluationId!))
                {
                    duplicates.Add(i);
                }
                evaluations.Add(new Evaluation(Guid.NewGuid(), Key.ModelId, Key.MachineId, inputs[i].EvaluationId, DateTime.UtcNow, 1, inputs[i].Metrics));
            }
            return new RecordBatchResult(evaluations, duplicates);
        }

        public Task<PredictionBatchResult> RecordPredictionsAsync(PredictionBatch batch) => throw new NotSupportedException();

        public Task<MonitorSnapshot> ConfigureAsync(string? modelType, MonitorConfigPatch patch) => throw new NotSupportedException();

        public Task<MonitorSnapshot> SetBaselineAsync(MetricSet baseline) => throw new NotSupportedException();

        public Task<DriftReport> CheckDriftAsync() => throw new NotSupportedException();

        public Task<MonitorSnapshot> ResetReferenceAsync() => throw new NotSupportedException();

        public Task<ModelVersionInfo> RegisterVersionAsync(string version, MetricSet? metrics, string? artifactJson) => throw new NotSupportedException();

        public Task<MonitorSnapshot> PromoteVersionAsync(string version) => throw new NotSupportedException();

        public Task<TrainingJob> TriggerRetrainAsync(TrainingTrigger trigger, string? reason) => throw new NotSupportedException();

        public Task<CandidateDecision> AcceptCandidateAsync(TrainingCandidate candidate) => throw new NotSupportedException();

        public Task JobEndedAsync(Guid jobId, TrainingStatus status, string? error) => throw new NotSupportedException();

        public Task<AbTest> StartAbTestAsync(AbTestDefinition definition) => throw new NotSupportedException();

        public Task<PredictionOutcomes?> GetAbOutcomesAsync(Guid testId) => throw new NotSupportedException();

        public Task AbTestEndedAsync(AbTest test) => throw new NotSupportedException();

        public Task<Alert> AcknowledgeAlertAsync(Guid alertId) => throw new NotSupportedException();

        public Task<Alert> ResolveAlertAsync(Guid alertId, string resolvedBy, string? note) => throw new NotSupportedException();

        public Task<ModelTask?> GetTaskAsync() => throw new NotSupportedException();

        public Task WatchEvaluationsAsync(TimeSpan lease) => throw new NotSupportedException();

        public Task<MonitorSnapshot?> GetSnapshotAsync() => throw new NotSupportedException();
    }
}
