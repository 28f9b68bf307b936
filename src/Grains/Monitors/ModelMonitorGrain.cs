using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Telemetry;
using ModelPerformance.Grains.Registry;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// One model on one machine. Each call writes its history rows first and changes its state only once they
/// are committed, so what a client saw acknowledged is in the history, and a state saved late is caught up
/// from the history on the next activation. The grain coordinates: checks of the input
/// (<see cref="MonitorInputRules"/>), applying rows (<see cref="MonitorIngestion"/>), alert decisions
/// (<see cref="MonitorJudgement"/>, <see cref="MonitorAlerts"/>), the registry row (<see cref="MonitorListing"/>)
/// evaluation events (<see cref="EvaluationPublishing"/>), the versions (<see cref="MonitorVersions"/>), retraining
/// (<see cref="MonitorTraining"/>) and A/B tests (<see cref="MonitorAbTests"/>) each live in their own type.
/// </summary>
public sealed class ModelMonitorGrain(
    [PersistentState("monitor")] IPersistentState<ModelMonitorState> persisted,
    IHistoryWriter history,
    IEventPublisher events,
    IAlertStore alertStore,
    IDriftHistory driftHistory,
    IVersionStore versionStore,
    IOptions<MonitorOptions> options,
    TimeProvider clock,
    ILogger<ModelMonitorGrain> logger) : Grain, IModelMonitorGrain, IRemindable
{
    private const string CheckReminder = "check";

    private MonitorKey key;
    private bool dirty;

    /// <summary>The view of the current state; computing it reads the whole window, so it is kept until the state changes.</summary>
    private MonitorSnapshot? snapshot;

    /// <summary>Set when this call created the monitor: its periodic check is registered once the call's rows are committed.</summary>
    private bool needsReminder;

    private MonitorIngestion ingestion = null!;
    private MonitorAlerts alerts = null!;
    private MonitorJudgement judgement = null!;
    private MonitorListing listing = null!;
    private EvaluationPublishing publishing = null!;
    private MonitorVersions versions = null!;
    private MonitorTraining training = null!;
    private MonitorAbTests abTests = null!;

    private ModelMonitorState State => persisted.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        key = MonitorKey.Parse(this.GetPrimaryKeyString());
        versions = new MonitorVersions(key, versionStore, clock);
        abTests = new MonitorAbTests(key, () => State, GrainFactory, versions, clock);
        ingestion = new MonitorIngestion(key, () => State, history, abTests.Apply);
        training = new MonitorTraining(key, () => State, GrainFactory, versions, abTests, clock);
        alerts = new MonitorAlerts(key, () => State, alertStore, events, clock, AutoRetrainAsync);
        judgement = new MonitorJudgement(() => State, alerts, Snapshot, options.Value.CheckIntervalUnit);
        listing = new MonitorListing(key, history);
        publishing = new EvaluationPublishing(() => State, events, clock);
        // Even a monitor without saved state replays: its state may have been lost after its history was committed.
        dirty = await ingestion.ActivateAsync(logger, cancellationToken);
        if (State.Created)
        {
            await alerts.ReloadAsync(cancellationToken);
        }
        // The first save comes at a random point of the interval, so monitors activated together do not all save together.
        var interval = options.Value.SaveInterval;
        var firstSave = interval / 2 + interval / 2 * Random.Shared.NextDouble();
        this.RegisterGrainTimer(SaveIfDirtyAsync, new GrainTimerCreationOptions(firstSave, interval) { Interleave = false });
        abTests.Offer();
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
        var task = MonitorInputRules.CheckEvaluations(key, State.Task, inputs);
        var now = clock.GetUtcNow().UtcDateTime;
        var (rows, modelType) = ingestion.EvaluationRows(inputs, now);
        var nextSeq = State.LastSeq + rows.Count;

        var duplicates = await history.AppendAsync(key, rows, batch: null);
        var hadChampion = State.ActiveVersion is not null;
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
            ingestion.ApplyEvaluation(row);
            results.Add(row.Evaluation);
        }
        State.LastDataAt = now;
        await FinishIngestionAsync(rows, duplicates, inputs.Select(i => i.ModelVersion).Distinct(), hadChampion);
        ServiceMeters.EvaluationsRecorded.Add(rows.Count - duplicateIndexes.Count, ServiceMeters.Tag("model_type", State.ModelType));
        return new RecordBatchResult(results, duplicateIndexes);
    }

    public async Task<PredictionBatchResult> RecordPredictionsAsync(PredictionBatch batch)
    {
        var task = MonitorInputRules.CheckPredictions(key, State, batch);
        var now = clock.GetUtcNow().UtcDateTime;
        var modelType = batch.ModelType ?? State.ModelType;
        var seq = State.LastSeq + 1;
        var batchRow = new PredictionBatchRow(seq, batch.BatchId, batch.ModelVersion, now, batch.Samples);
        var evaluationRow = BatchEvaluation.Of(key, batch, task, modelType, State.Config.PositiveLabel, seq, now);
        IReadOnlyList<EvaluationRow> rows = evaluationRow is null ? [] : [evaluationRow];

        var duplicates = await history.AppendAsync(key, rows, batchRow);
        var hadChampion = State.ActiveVersion is not null;
        EnsureCreated(modelType, task);
        State.LastSeq = seq;
        if (duplicates.Contains(seq))
        {
            var original = batch.BatchId is null ? null : await history.FindEvaluationAsync(key, BatchEvaluation.EvaluationId(batch.BatchId));
            await UpdateListingAfterIngestionAsync();
            return new PredictionBatchResult(0, Duplicate: true, original, Snapshot());
        }
        ingestion.ApplyBatch(batchRow);
        if (evaluationRow is not null)
        {
            ingestion.ApplyEvaluation(evaluationRow);
        }
        State.LastDataAt = now;
        await FinishIngestionAsync(rows, duplicates, [batch.ModelVersion], hadChampion);
        abTests.Offer();
        ServiceMeters.SamplesRecorded.Add(batch.Samples.Count, ServiceMeters.Tag("model_type", State.ModelType));
        if (evaluationRow is not null)
        {
            ServiceMeters.EvaluationsRecorded.Add(1, ServiceMeters.Tag("model_type", State.ModelType));
        }
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
        ingestion.Resize(config);
        await SaveNowAsync();
        return Snapshot();
    }

    public async Task<MonitorSnapshot> SetBaselineAsync(MetricSet baseline)
    {
        MonitorInputRules.RequireCreated(key, State);
        MonitorInputRules.CheckMetricsTask(State.Task, baseline, "the baseline's metrics");
        State.ExplicitBaseline = baseline;
        snapshot = null;
        await judgement.DegradationAsync();
        await SaveNowAsync();
        return Snapshot();
    }

    public Task<DriftReport> CheckDriftAsync()
    {
        MonitorInputRules.RequireCreated(key, State);
        return RunCheckAsync();
    }

    public async Task<MonitorSnapshot> ResetReferenceAsync()
    {
        MonitorInputRules.RequireCreated(key, State);
        ingestion.ResetReference();
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

    public async Task<ModelVersionInfo> RegisterVersionAsync(string version, MetricSet? metrics, string? artifactJson)
    {
        MonitorInputRules.RequireCreated(key, State);
        if (metrics is not null)
        {
            MonitorInputRules.CheckMetricsTask(State.Task, metrics, "the version's metrics");
        }
        return await versions.RegisterAsync(version, metrics, artifactJson);
    }

    public async Task<MonitorSnapshot> PromoteVersionAsync(string version)
    {
        MonitorInputRules.RequireCreated(key, State);
        if (version != State.ActiveVersion)
        {
            await PromoteAsync(version);
        }
        await SaveNowAsync();
        return Snapshot();
    }

    public async Task<TrainingJob> TriggerRetrainAsync(TrainingTrigger trigger, string? reason)
    {
        MonitorInputRules.RequireCreated(key, State);
        var job = await training.TriggerAsync(trigger, reason);
        await SaveNowAsync();
        return job;
    }

    public async Task<CandidateDecision> AcceptCandidateAsync(TrainingCandidate candidate)
    {
        var (decision, promote) = await training.AcceptAsync(candidate);
        if (promote is not null && promote != State.ActiveVersion)
        {
            await PromoteAsync(promote);
        }
        await SaveNowAsync();
        return decision;
    }

    public async Task JobEndedAsync(Guid jobId, TrainingStatus status, string? error)
    {
        await training.EndedAsync(jobId, status, error, alerts);
        await SaveNowAsync();
    }

    public async Task<AbTest> StartAbTestAsync(AbTestDefinition definition)
    {
        MonitorInputRules.RequireCreated(key, State);
        var test = await abTests.StartAsync(definition);
        await SaveNowAsync();
        return test;
    }

    public Task<PredictionOutcomes?> GetAbOutcomesAsync(Guid testId) => Task.FromResult(abTests.Outcomes(testId));

    public async Task AbTestEndedAsync(AbTest test)
    {
        if (await abTests.EndedAsync(test, alerts, PromoteAsync))
        {
            await SaveNowAsync();
        }
    }

    public Task<ModelTask?> GetTaskAsync() => Task.FromResult(State.Task);

    public async Task WatchEvaluationsAsync(TimeSpan lease)
    {
        // A monitor that does not exist yet keeps the lease in memory only: its first data saves it with the
        // rest, and if it is deactivated before, the subscriber's next renewal sets it again. Saving here
        // would leave a storage row for every id someone subscribed to.
        if (publishing.Extend(lease) && State.Created)
        {
            await WriteStateAsync();
            dirty = false;
        }
    }

    public Task<MonitorSnapshot?> GetSnapshotAsync() =>
        Task.FromResult(State.Created ? Snapshot() : null);

    /// <summary>A job started on its own is saved at once, so a restart cannot forget it and start a second.</summary>
    private async Task<string?> AutoRetrainAsync(AlertType type, Severity severity, string message)
    {
        var action = await training.AutoRetrainAsync(type, severity, message, options.Value.CheckIntervalUnit);
        if (action is not null)
        {
            await WriteStateAsync();
        }
        return action;
    }

    private async Task PromoteAsync(string version)
    {
        await versions.PromoteAsync(version);
        ingestion.StartVersion(version);
        logger.LogInformation("Monitor {Monitor} promoted version {Version}", key, version);
    }

    /// <summary>The periodic check: data and prediction drift, concept drift, degradation and missing data.</summary>
    private async Task<DriftReport> RunCheckAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var report = DriftCheck.Run(State, DriftCheck.Concept(State, ingestion.Detector), now, ingestion.ReferenceCache);
        ServiceMeters.DriftCheckDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        await driftHistory.SaveAsync(key, report);
        State.LastDrift = report;
        State.LastCheckAt = now;
        snapshot = null;
        await judgement.AfterCheckAsync(report, now);
        if (await training.ScheduledAsync(options.Value.CheckIntervalUnit))
        {
            await WriteStateAsync();
        }
        await AfterAlertChangeAsync();
        return report;
    }

    /// <summary>After the rows of an ingestion are applied: the registry row, evaluation events, then the alerts they cause.</summary>
    private async Task FinishIngestionAsync(IReadOnlyList<EvaluationRow> rows, IReadOnlySet<long> duplicates, IEnumerable<string?> seenVersions, bool hadChampion)
    {
        snapshot = null;
        await versions.SeeAsync(seenVersions, State.ActiveVersion, championIsNew: !hadChampion && State.ActiveVersion is not null);
        await UpdateListingAfterIngestionAsync();
        await publishing.PublishAsync(rows, duplicates);
        var conceptFired = ingestion.ConceptFired;
        ingestion.ConceptFired = false;
        if (await judgement.AfterIngestionAsync(conceptFired, HasBaseline))
        {
            await AfterAlertChangeAsync();
        }
    }

    /// <summary>
    /// The registry learns at once of a new monitor, model type, task, version or health. The health of a monitor
    /// without a baseline needs no metrics; with one, the snapshot computed here is the one degradation is judged
    /// from next, so it costs nothing more.
    /// </summary>
    private async Task UpdateListingAfterIngestionAsync()
    {
        dirty = true;
        if (needsReminder)
        {
            await RegisterCheckReminderAsync();
        }
        await listing.UpdateAsync(State, HasBaseline ? Snapshot().Health : MonitorView.Health(State, []));
    }

    /// <summary>
    /// After alerts or a check changed the state. The alert store already holds every alert change and an
    /// activation reloads open alerts from it, so the state is saved with the next periodic save, not now.
    /// </summary>
    private async Task AfterAlertChangeAsync()
    {
        snapshot = null;
        dirty = true;
        await listing.UpdateAsync(State, Snapshot().Health);
    }

    /// <summary>A change a client asked for: saved before it is answered, and the registry row follows.</summary>
    private async Task SaveNowAsync()
    {
        snapshot = null;
        await WriteStateAsync();
        dirty = false;
        await listing.UpdateAsync(State, Snapshot().Health);
    }

    private async Task RegisterCheckReminderAsync()
    {
        needsReminder = false;
        var period = State.Config.CheckIntervalMinutes * options.Value.CheckIntervalUnit;
        await this.RegisterOrUpdateReminder(CheckReminder, period, period);
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

    /// <summary>An explicit baseline, or a full reference to compute one from: only then is there degradation to judge.</summary>
    private bool HasBaseline => State.ExplicitBaseline is not null || State.Reference.IsFull;

    private Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        State.Detector = ingestion.SaveDetector();
        return persisted.WriteStateAsync(cancellationToken);
    }

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
            await listing.UpdateAsync(State, Snapshot().Health);
        }
    }

    private MonitorSnapshot Snapshot() => snapshot ??= MonitorView.Snapshot(key, State, ingestion.RecordedWindow);
}
