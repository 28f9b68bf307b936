using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Events;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using FeatureKind = ModelPerformance.Grains.Interfaces.FeatureKind;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// One model on one machine. Each call writes its history rows first and changes its state only once they
/// are committed, so what a client saw acknowledged is in the history, and a state saved late is caught up
/// from the history on the next activation.
/// </summary>
public sealed class ModelMonitorGrain(
    [PersistentState("monitor")] IPersistentState<ModelMonitorState> persisted,
    IHistoryWriter history,
    IEventPublisher events,
    IAlertStore alertStore,
    IDriftHistory driftHistory,
    IOptions<MonitorOptions> options,
    TimeProvider clock,
    ILogger<ModelMonitorGrain> logger) : Grain, IModelMonitorGrain, IRemindable
{
    private const string CheckReminder = "check";

    /// <summary>Distinct features one monitor tracks: each is a column of windowSize values, so this bounds its memory.</summary>
    public const int MaxFeaturesPerMonitor = 256;

    /// <summary>Prefix of the evaluation id a prediction batch's evaluation gets; '/' is not allowed in client ids.</summary>
    private const string BatchEvaluationPrefix = "batch/";

    private MonitorKey key;
    private bool dirty;

    /// <summary>What the registry holds for this monitor, as far as this activation wrote it.</summary>
    private MonitorRegistration? registered;

    /// <summary>The view of the current state; computing it reads the whole window, so it is kept until the state changes.</summary>
    private MonitorSnapshot? snapshot;

    /// <summary>The concept detector on the error stream; its state is saved with the monitor's.</summary>
    private PageHinkleyDetector detector = new();

    /// <summary>Set when the detector fired during the current call, so the alert opens once the call's rows are committed.</summary>
    private bool conceptFired;

    /// <summary>Set when this call created the monitor: its periodic check is registered once the call's rows are committed.</summary>
    private bool needsReminder;

    /// <summary>The frozen reference's numeric columns, sorted once for all checks until the reference changes.</summary>
    private readonly Dictionary<string, NumericReference> referenceCache = new(StringComparer.Ordinal);

    private MonitorAlerts alerts = null!;

    /// <summary>
    /// The last windowSize recorded evaluations of the active version. Not in the saved state: rebuilt from the
    /// history on activation, so a periodic save does not rewrite them all.
    /// </summary>
    private WeightedWindow recordedWindow = new(MonitorConfig.Default.WindowSize);

    private ModelMonitorState State => persisted.State;

    private TimeSpan CheckUnit => options.Value.CheckIntervalUnit;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        key = MonitorKey.Parse(this.GetPrimaryKeyString());
        alerts = new MonitorAlerts(key, () => State, alertStore, events, clock);
        detector = State.Detector?.ToDetector() ?? new PageHinkleyDetector();
        // Even a monitor without saved state replays: its state may have been lost after its history was committed.
        await ReplayAsync(cancellationToken);
        if (State.Created)
        {
            var recorded = await history.ReadRecentRecordedAsync(key, State.ActiveVersion, State.Config.WindowSize, cancellationToken);
            recordedWindow = new WeightedWindow(State.Config.WindowSize);
            foreach (var evaluation in recorded)
            {
                recordedWindow.Add(evaluation.Metrics.ToValues(), evaluation.SampleCount ?? 1);
            }

            // The alert store is the truth about open alerts; the saved state may lag behind it.
            var stored = await alertStore.QueryAsync(new AlertFilter(ModelId: key.ModelId, MachineId: key.MachineId), 100, cancellationToken);
            State.OpenAlerts = stored.Where(a => a.Status != AlertStatus.Resolved)
                .GroupBy(a => a.Type).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.CreatedAt).First());
        }
        // The first save comes at a random point of the interval, so monitors activated together do not all save together.
        var interval = options.Value.SaveInterval;
        var firstSave = interval / 2 + interval / 2 * Random.Shared.NextDouble();
        this.RegisterGrainTimer(SaveIfDirtyAsync, new GrainTimerCreationOptions(firstSave, interval) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown || options.Value.StateOutlivesSilo)
        {
            await SaveIfDirtyAsync(cancellationToken);
        }
    }

    public async Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<EvaluationInput> inputs)
    {
        var task = State.Task;
        for (var i = 0; i < inputs.Count; i++)
        {
            var implied = inputs[i].Metrics.ImpliedTask();
            if (implied is null)
            {
                throw ServiceException.BadInput("metrics must be all regression metrics (rSquared, rmse, mae, mape) or all classification metrics (accuracy, precision, recall, f1)", i, "metrics");
            }
            if (inputs[i].Task is { } given && given != implied)
            {
                throw ServiceException.BadInput($"task {Names.Of(given)} does not match the metrics given, which are {Names.Of(implied.Value)} metrics", i, "task");
            }
            if (task is not null && task != implied)
            {
                throw ServiceException.BadInput($"monitor {key} is a {Names.Of(task.Value)} monitor; {Names.Of(implied.Value)} input is rejected", i, "task");
            }
            task = implied;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var modelType = State.ModelType;
        foreach (var input in inputs)
        {
            modelType = input.ModelType ?? modelType;
        }
        var rows = new List<EvaluationRow>(inputs.Count);
        var nextSeq = State.LastSeq;
        foreach (var input in inputs)
        {
            var evaluation = new Evaluation(Guid.CreateVersion7(), key.ModelId, key.MachineId, input.ModelVersion,
                input.EvaluatedAt ?? now, input.SampleCount, input.Metrics);
            rows.Add(new EvaluationRow(evaluation, modelType, ++nextSeq, input.EvaluationId, EvaluationSource.Recorded));
        }

        var duplicates = await history.AppendAsync(key, rows, batch: null);
        EnsureCreated(modelType, task);
        State.LastSeq = nextSeq;
        var results = new List<Evaluation>(rows.Count);
        var duplicateIndexes = new List<int>(duplicates.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (duplicates.Contains(row.Seq))
            {
                duplicateIndexes.Add(i);
                results.Add(await history.FindEvaluationAsync(key, row.EvaluationId!) ?? row.Evaluation);
                continue;
            }
            ApplyEvaluation(row);
            results.Add(row.Evaluation);
        }
        State.LastDataAt = now;
        await FinishChangeAsync();
        await PublishAsync(rows, duplicates);
        await JudgeAfterIngestionAsync();
        return new RecordBatchResult(results, duplicateIndexes);
    }

    public async Task<PredictionBatchResult> RecordPredictionsAsync(PredictionBatch batch)
    {
        var task = CheckPredictionBatch(batch);
        var now = clock.GetUtcNow().UtcDateTime;
        var modelType = batch.ModelType ?? State.ModelType;
        var seq = State.LastSeq + 1;
        var batchRow = new PredictionBatchRow(seq, batch.BatchId, batch.ModelVersion, now, batch.Samples);
        var evaluationRow = BatchEvaluation(batch, task, modelType, seq, now);

        var duplicates = await history.AppendAsync(key, evaluationRow is null ? [] : [evaluationRow], batchRow);
        EnsureCreated(modelType, task);
        State.LastSeq = seq;
        if (duplicates.Contains(seq))
        {
            var original = batch.BatchId is null ? null : await history.FindEvaluationAsync(key, BatchEvaluationPrefix + batch.BatchId);
            await FinishChangeAsync();
            return new PredictionBatchResult(0, Duplicate: true, original, Snapshot());
        }
        ApplyBatch(batchRow);
        if (evaluationRow is not null)
        {
            ApplyEvaluation(evaluationRow);
        }
        State.LastDataAt = now;
        await FinishChangeAsync();
        await PublishAsync(evaluationRow is null ? [] : [evaluationRow], duplicates);
        await JudgeAfterIngestionAsync();
        return new PredictionBatchResult(batch.Samples.Count, Duplicate: false, evaluationRow?.Evaluation, Snapshot());
    }

    public async Task<MonitorSnapshot> ConfigureAsync(string? modelType, MonitorConfigPatch patch)
    {
        var config = MonitorConfigRules.Apply(State.Config, patch);
        var intervalChanged = config.CheckIntervalMinutes != State.Config.CheckIntervalMinutes;
        EnsureCreated(modelType ?? State.ModelType, State.Task);
        State.Config = config;
        if (intervalChanged || needsReminder)
        {
            await RegisterCheckReminderAsync();
        }
        snapshot = null;
        State.Window.Resize(config.WindowSize);
        if (!State.Reference.IsFull || State.Reference.Capacity > config.ReferenceSize)
        {
            State.Reference.Resize(config.ReferenceSize);
        }
        if (recordedWindow.Capacity != config.WindowSize)
        {
            recordedWindow.Resize(config.WindowSize);
        }
        await WriteStateAsync();
        dirty = false;
        await RegisterIfChangedAsync();
        return Snapshot();
    }

    public async Task<MonitorSnapshot> SetBaselineAsync(MetricSet baseline)
    {
        RequireCreated();
        var implied = baseline.ImpliedTask();
        if (implied is null || (State.Task is { } task && task != implied))
        {
            throw ServiceException.BadInput($"the baseline's metrics must be those of a {(State.Task is { } t ? Names.Of(t) : "single")} task", "metrics");
        }
        State.ExplicitBaseline = baseline;
        snapshot = null;
        await JudgeDegradationAsync();
        await WriteStateAsync();
        dirty = false;
        await RegisterIfChangedAsync();
        return Snapshot();
    }

    public async Task<DriftReport> CheckDriftAsync()
    {
        RequireCreated();
        var report = await RunCheckAsync();
        return report;
    }

    public async Task<MonitorSnapshot> ResetReferenceAsync()
    {
        RequireCreated();
        State.Reference.Clear();
        State.SamplesAfterFreeze = 0;
        State.ConceptFiredAt = null;
        referenceCache.Clear();
        detector.Reset();
        snapshot = null;
        await WriteStateAsync();
        dirty = false;
        return Snapshot();
    }

    public async Task<Alert> AcknowledgeAlertAsync(Guid alertId)
    {
        var alert = await alerts.AcknowledgeAsync(alertId);
        await AfterAlertChangeAsync();
        return alert;
    }

    public async Task<Alert> ResolveAlertAsync(Guid alertId, string resolvedBy, string? note)
    {
        var alert = await alerts.ResolveAsync(alertId, resolvedBy, note);
        await AfterAlertChangeAsync();
        return alert;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == CheckReminder && State.Created)
        {
            await RunCheckAsync();
        }
    }

    /// <summary>The periodic check: data and prediction drift, concept drift, degradation and missing data.</summary>
    private async Task<DriftReport> RunCheckAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var previousCheck = State.LastCheckAt;
        var concept = new ConceptDriftStatus(PageHinkleyDetector.AlgorithmName,
            State.ConceptFiredAt is { } fired && (previousCheck is null || fired > previousCheck), State.ConceptFiredAt, (int)detector.SamplesSinceReset);
        var report = DriftCheck.Run(State, concept, now, referenceCache);
        await driftHistory.SaveAsync(key, report);
        State.LastDrift = report;
        State.LastCheckAt = now;
        snapshot = null;

        if (report.SkippedReason is null)
        {
            if (report.DriftDetected)
            {
                var drifted = report.Features.Where(f => f.Drifted).Select(f => f.Feature).ToList();
                await alerts.RaiseAsync(AlertType.DataDrift, Severity.Warning,
                    $"data drift in {drifted.Count} of {report.Features.Count} features ({string.Join(", ", drifted)})",
                    new { report.DriftScore, drifted });
            }
            else
            {
                await alerts.ClearAsync(AlertType.DataDrift);
            }
        }
        if (!concept.Detected)
        {
            await alerts.ClearAsync(AlertType.ConceptDrift);
        }
        await JudgeDegradationAsync();
        await JudgeNoDataAsync(now);
        await AfterAlertChangeAsync();
        return report;
    }

    /// <summary>After ingestion: a concept detector that fired opens its alert, and degradation is judged at once.</summary>
    private async Task JudgeAfterIngestionAsync()
    {
        var changed = false;
        if (conceptFired)
        {
            conceptFired = false;
            await alerts.RaiseAsync(AlertType.ConceptDrift, Severity.Warning,
                $"concept drift: the {PageHinkleyDetector.AlgorithmName} detector fired on the error stream", new { detector = PageHinkleyDetector.AlgorithmName });
            changed = true;
        }
        // Without a baseline there is nothing to degrade from, and ingestion need not compute the window's metrics.
        if (HasBaseline || State.OpenAlerts.ContainsKey(AlertType.Degradation))
        {
            changed |= await JudgeDegradationAsync();
        }
        if (State.OpenAlerts.ContainsKey(AlertType.NoData))
        {
            await alerts.ClearAsync(AlertType.NoData);
            changed = true;
        }
        if (changed)
        {
            await AfterAlertChangeAsync();
        }
    }

    /// <summary>Opens, escalates or clears the DEGRADATION alert from the degradation statuses; true when it acted.</summary>
    private async Task<bool> JudgeDegradationAsync()
    {
        var judged = Snapshot().Degradation.Where(d => d.Status != HealthStatus.Unknown).ToList();
        if (judged.Count == 0)
        {
            return false;
        }
        var worst = judged.Max(d => d.Status);
        if (worst is HealthStatus.Warning or HealthStatus.Critical)
        {
            var bad = judged.Where(d => d.Status == worst).ToList();
            await alerts.RaiseAsync(AlertType.Degradation, worst == HealthStatus.Critical ? Severity.Critical : Severity.Warning,
                $"{Names.Of(worst)} degradation of {string.Join(", ", bad.Select(d => $"{Names.Of(d.Metric)} ({d.RelativeChange:P1} worse)"))}",
                judged.Select(d => new { metric = Names.Of(d.Metric), d.Baseline, d.Current, d.RelativeChange, status = Names.Of(d.Status) }));
            return true;
        }
        if (State.OpenAlerts.ContainsKey(AlertType.Degradation))
        {
            await alerts.ClearAsync(AlertType.Degradation);
            return true;
        }
        return false;
    }

    private async Task JudgeNoDataAsync(DateTime now)
    {
        var limit = State.Config.NoDataMinutes * CheckUnit;
        var last = State.LastDataAt ?? State.CreatedAt;
        if (State.Config.NoDataMinutes > 0 && now - last >= limit)
        {
            await alerts.RaiseAsync(AlertType.NoData, Severity.Warning,
                $"no data for {State.Config.NoDataMinutes} minutes (last at {last:O})", new { lastDataAt = last });
        }
        else
        {
            await alerts.ClearAsync(AlertType.NoData);
        }
    }

    /// <summary>
    /// After alerts or a check changed the state. The alert store already holds every alert change and an
    /// activation reloads open alerts from it, so the state is saved with the next periodic save, not now.
    /// </summary>
    private async Task AfterAlertChangeAsync()
    {
        snapshot = null;
        dirty = true;
        await RegisterIfChangedAsync();
    }

    private async Task RegisterCheckReminderAsync()
    {
        needsReminder = false;
        var period = State.Config.CheckIntervalMinutes * CheckUnit;
        await this.RegisterOrUpdateReminder(CheckReminder, period, period);
    }

    private void RequireCreated()
    {
        if (!State.Created)
        {
            throw ServiceException.NotFound($"no monitor {key}: record data or configure it first", "modelId");
        }
    }

    private Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        State.Detector = DetectorState.Of(detector);
        return persisted.WriteStateAsync(cancellationToken);
    }

    public Task<ModelTask?> GetTaskAsync() => Task.FromResult(State.Task);

    public async Task WatchEvaluationsAsync(TimeSpan lease)
    {
        var until = clock.GetUtcNow().UtcDateTime + lease;
        if (State.EvaluationsWatchedUntil is null || until > State.EvaluationsWatchedUntil)
        {
            State.EvaluationsWatchedUntil = until;
            // A monitor that does not exist yet keeps the lease in memory only: its first data saves it with the
            // rest, and if it is deactivated before, the subscriber's next renewal sets it again. Saving here
            // would leave a storage row for every id someone subscribed to.
            if (State.Created)
            {
                await WriteStateAsync();
                dirty = false;
            }
        }
    }

    public Task<MonitorSnapshot?> GetSnapshotAsync() =>
        Task.FromResult(State.Created ? Snapshot() : null);

    private ModelTask CheckPredictionBatch(PredictionBatch batch)
    {
        ModelTask? batchTask = batch.Task;
        var kinds = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Samples.Count; i++)
        {
            var sample = batch.Samples[i];
            var hasNumbers = sample.Predicted.HasValue || sample.Actual.HasValue;
            var hasLabels = sample.PredictedLabel is not null || sample.ActualLabel is not null;
            if (hasNumbers && hasLabels)
            {
                throw ServiceException.BadInput("a sample has either predicted/actual values or labels, not both", "input", "samples", i);
            }
            ModelTask? sampleTask = hasLabels ? ModelTask.Classification : hasNumbers ? ModelTask.Regression : null;
            if (sampleTask is null)
            {
                throw ServiceException.BadInput("a sample needs a prediction: predicted (regression) or predictedLabel (classification)", "input", "samples", i);
            }
            if (batchTask is not null && batchTask != sampleTask)
            {
                throw ServiceException.BadInput($"sample is {Names.Of(sampleTask.Value)} data in a {Names.Of(batchTask.Value)} batch", "input", "samples", i);
            }
            batchTask = sampleTask;
            if (sample.Features is null)
            {
                continue;
            }
            foreach (var (name, value) in sample.Features)
            {
                var kind = value.IsNumeric ? FeatureKind.Numeric : FeatureKind.Categorical;
                var known = kinds.TryGetValue(name, out var k) ? k : State.FeatureKinds.TryGetValue(name, out var s) ? s : (FeatureKind?)null;
                if (known is not null && known != kind)
                {
                    throw ServiceException.BadInput($"feature '{name}' is {Names.Of(known.Value)}; a {Names.Of(kind)} value changes its kind", "input", "samples", i, "features", name);
                }
                kinds[name] = kind;
            }
        }
        var newFeatures = kinds.Keys.Count(name => !State.FeatureKinds.ContainsKey(name));
        if (State.FeatureKinds.Count + newFeatures > MaxFeaturesPerMonitor)
        {
            throw ServiceException.BadInput(
                $"monitor {key} would track {State.FeatureKinds.Count + newFeatures} distinct features; at most {MaxFeaturesPerMonitor} are kept per monitor", "input", "samples");
        }
        if (State.Task is { } monitorTask && monitorTask != batchTask)
        {
            throw ServiceException.BadInput($"monitor {key} is a {Names.Of(monitorTask)} monitor; {Names.Of(batchTask!.Value)} input is rejected", "input", "task");
        }
        return batchTask!.Value;
    }

    private EvaluationRow? BatchEvaluation(PredictionBatch batch, ModelTask task, string modelType, long seq, DateTime now)
    {
        MetricValues metrics;
        int pairs;
        if (task == ModelTask.Regression)
        {
            var actual = batch.Samples.Where(s => s.Actual.HasValue && s.Predicted.HasValue).Select(s => s.Actual!.Value).ToArray();
            var predicted = batch.Samples.Where(s => s.Actual.HasValue && s.Predicted.HasValue).Select(s => s.Predicted!.Value).ToArray();
            pairs = actual.Length;
            metrics = pairs == 0 ? default : RegressionMetrics.Compute(actual, predicted);
        }
        else
        {
            var labelled = batch.Samples.Where(s => s.ActualLabel is not null && s.PredictedLabel is not null).ToList();
            pairs = labelled.Count;
            metrics = pairs == 0 ? default : ClassificationMetrics.Compute(
                labelled.Select(s => s.ActualLabel!).ToList(), labelled.Select(s => s.PredictedLabel!).ToList(), State.Config.PositiveLabel);
        }
        if (pairs == 0)
        {
            return null;
        }
        var evaluatedAt = batch.Samples.Where(s => s.Timestamp.HasValue).Select(s => s.Timestamp!.Value).DefaultIfEmpty(now).Max();
        var evaluation = new Evaluation(Guid.CreateVersion7(), key.ModelId, key.MachineId, batch.ModelVersion, evaluatedAt, pairs, metrics.ToMetricSet());
        var evaluationId = batch.BatchId is null ? null : BatchEvaluationPrefix + batch.BatchId;
        return new EvaluationRow(evaluation, modelType, seq, evaluationId, EvaluationSource.Predictions);
    }

    /// <summary>Samples of the active version enter the window and, until it is full, the reference.</summary>
    private void ApplyBatch(PredictionBatchRow batch)
    {
        snapshot = null;
        State.SampleCount += batch.Samples.Count;
        State.Task ??= batch.Samples[0].Predicted.HasValue ? ModelTask.Regression : ModelTask.Classification;
        if (!AdoptVersion(batch.ModelVersion))
        {
            return;
        }
        foreach (var sample in batch.Samples)
        {
            if (sample.Features is not null)
            {
                foreach (var (name, value) in sample.Features)
                {
                    State.FeatureKinds[name] = value.IsNumeric ? FeatureKind.Numeric : FeatureKind.Categorical;
                }
            }
            State.Window.Add(sample);
            if (!State.Reference.Add(sample))
            {
                State.SamplesAfterFreeze++;
            }
            if (Error(sample) is { } error && detector.Add(error))
            {
                conceptFired = true;
                State.ConceptFiredAt = batch.ReceivedAt;
            }
        }
    }

    /// <summary>The error the concept detector watches: absolute error, or 1 for a misclassification.</summary>
    private static double? Error(PredictionSample sample) => sample switch
    {
        { Predicted: { } p, Actual: { } a } => Math.Abs(a - p),
        { PredictedLabel: { } pl, ActualLabel: { } al } => pl == al ? 0 : 1,
        _ => null,
    };

    private void ApplyEvaluation(EvaluationRow row)
    {
        var evaluation = row.Evaluation;
        State.Task ??= row.Source == EvaluationSource.Recorded ? evaluation.Metrics.ImpliedTask() : State.Task;
        State.EvaluationCount++;
        if (State.Latest is null || evaluation.EvaluatedAt >= State.Latest.EvaluatedAt)
        {
            State.Latest = evaluation;
        }
        if (row.Source == EvaluationSource.Recorded && AdoptVersion(evaluation.ModelVersion))
        {
            recordedWindow.Add(evaluation.Metrics.ToValues(), evaluation.SampleCount ?? 1);
        }
        dirty = true;
        snapshot = null;
    }

    /// <summary>True when data of <paramref name="version"/> counts for the champion; the first version seen becomes it.</summary>
    private bool AdoptVersion(string? version)
    {
        if (version is null)
        {
            return true;
        }
        State.ActiveVersion ??= version;
        return State.ActiveVersion == version;
    }

    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        var replay = await history.ReadAfterAsync(key, State.LastSeq, cancellationToken);
        var batches = replay.Batches.ToDictionary(b => b.Seq);
        var evaluations = replay.Evaluations.ToDictionary(e => e.Seq);
        foreach (var seq in batches.Keys.Concat(evaluations.Keys).Distinct().Order())
        {
            if (batches.TryGetValue(seq, out var batch))
            {
                ApplyBatch(batch);
            }
            if (evaluations.TryGetValue(seq, out var evaluation))
            {
                State.ModelType = evaluation.ModelType;
                if (evaluation.Source == EvaluationSource.Predictions)
                {
                    State.Task ??= evaluation.Evaluation.Metrics.ImpliedTask();
                }
                ApplyEvaluation(evaluation);
            }
            State.LastSeq = seq;
            dirty = true;
        }
        if (dirty)
        {
            State.Created = true;
            logger.LogInformation("Monitor {Monitor} caught up {Count} history rows its saved state lacked", key, batches.Count + evaluations.Count);
        }
    }

    private void EnsureCreated(string modelType, ModelTask? task)
    {
        if (!State.Created)
        {
            State.Created = true;
            State.CreatedAt = clock.GetUtcNow().UtcDateTime;
            needsReminder = true;
        }
        State.ModelType = modelType;
        State.Task ??= task;
    }

    /// <summary>
    /// After ingestion: the registry learns at once of a new monitor, model type, task, version or health. The health
    /// of a monitor without a baseline needs no metrics; with one, the snapshot computed here is the one
    /// <see cref="JudgeAfterIngestionAsync"/> judges degradation from next, so it costs nothing more.
    /// </summary>
    private async Task FinishChangeAsync()
    {
        dirty = true;
        if (needsReminder)
        {
            await RegisterCheckReminderAsync();
        }
        var health = HasBaseline ? Snapshot().Health : MonitorView.Health(State, []);
        var identity = new MonitorRegistration(key, State.ModelType, State.Task, State.ActiveVersion, health);
        if (identity != registered)
        {
            await RegisterAsync(identity);
        }
    }

    /// <summary>An explicit baseline, or a full reference to compute one from: only then is there degradation to judge.</summary>
    private bool HasBaseline => State.ExplicitBaseline is not null || State.Reference.IsFull;

    /// <summary>Writes the registry row when what lists filter on changed, which is rare next to ingestion.</summary>
    private async Task RegisterIfChangedAsync()
    {
        var current = Registration();
        if (current != registered)
        {
            await RegisterAsync(current);
        }
    }

    private async Task RegisterAsync(MonitorRegistration registration)
    {
        await history.RegisterMonitorAsync(registration);
        registered = registration;
    }

    /// <summary>Tells subscribers of the evaluations this call applied, once their history rows are committed, while someone watches.</summary>
    private async Task PublishAsync(IReadOnlyList<EvaluationRow> rows, IReadOnlySet<long> duplicates)
    {
        if (State.EvaluationsWatchedUntil is not { } until || until < clock.GetUtcNow().UtcDateTime)
        {
            return;
        }
        foreach (var row in rows)
        {
            if (!duplicates.Contains(row.Seq))
            {
                await events.PublishAsync(new EvaluationRecorded(row.Evaluation));
            }
        }
    }

    private MonitorRegistration Registration() =>
        new(key, State.ModelType, State.Task, State.ActiveVersion, Snapshot().Health);

    private async Task SaveIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!dirty)
        {
            return;
        }
        dirty = false;
        await WriteStateAsync(cancellationToken);
        if (State.Created)
        {
            await RegisterIfChangedAsync();
        }
    }

    private MonitorSnapshot Snapshot() => snapshot ??= MonitorView.Snapshot(key, State, recordedWindow);
}
