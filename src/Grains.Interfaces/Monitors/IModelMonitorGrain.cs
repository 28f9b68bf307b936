namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// The performance monitor of one model on one machine, keyed <c>modelId/machineId</c> (see <see cref="MonitorKey"/>).
/// Every mutating call is acknowledged only after its history rows are committed.
/// </summary>
[Alias("IModelMonitorGrain")]
public interface IModelMonitorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores precomputed evaluations; ones whose evaluationId was seen before count as duplicates. The list is
    /// not copied on the way (callers hand over a list they no longer change, and the grain only reads it).
    /// </summary>
    [Alias("RecordEvaluations")]
    Task<RecordBatchResult> RecordEvaluationsAsync([Immutable] IReadOnlyList<EvaluationInput> inputs);

    /// <summary>Adds a batch of predictions to the window; a batchId seen before stores nothing.</summary>
    [Alias("RecordPredictions")]
    Task<PredictionBatchResult> RecordPredictionsAsync(PredictionBatch batch);

    [Alias("Configure")]
    Task<MonitorSnapshot> ConfigureAsync(string? modelType, MonitorConfigPatch patch);

    [Alias("SetBaseline")]
    Task<MonitorSnapshot> SetBaselineAsync(MetricSet baseline);

    /// <summary>Runs a drift check now: data and prediction drift, and the concept detector's state.</summary>
    [Alias("CheckDrift")]
    Task<DriftReport> CheckDriftAsync();

    /// <summary>Freezes the next referenceSize samples as the new drift reference.</summary>
    [Alias("ResetReference")]
    Task<MonitorSnapshot> ResetReferenceAsync();

    /// <summary>OPEN becomes ACKNOWLEDGED; again is a no-op; a RESOLVED alert is a BAD_USER_INPUT error.</summary>
    [Alias("AcknowledgeAlert")]
    Task<Alert> AcknowledgeAlertAsync(Guid alertId);

    /// <summary>Resolves the alert for <paramref name="resolvedBy"/> with a note; again is a no-op.</summary>
    [Alias("ResolveAlert")]
    Task<Alert> ResolveAlertAsync(Guid alertId, string resolvedBy, string? note);

    /// <summary>The monitor's task, null until its first data fixes it; read before a batch spanning monitors is written.</summary>
    [Alias("GetTask"), Orleans.Concurrency.ReadOnly]
    Task<ModelTask?> GetTaskAsync();

    /// <summary>
    /// Someone subscribes to this monitor's evaluations: they are published as events for <paramref name="lease"/>
    /// from now (or longer, when an earlier lease lasts longer). Without a lease, ingestion publishes none, so a
    /// monitor nobody watches costs the event transport nothing. Once this returns, every evaluation the monitor
    /// applies within the lease is published.
    /// </summary>
    [Alias("WatchEvaluations")]
    Task WatchEvaluationsAsync(TimeSpan lease);

    /// <summary>Null when nothing ever created this monitor.</summary>
    [Alias("GetSnapshot")]
    Task<MonitorSnapshot?> GetSnapshotAsync();
    /// <summary>Registers a version trained elsewhere, not champion; an existing name is a CONFLICT.</summary>
    [Alias("RegisterVersion")]
    Task<ModelVersionInfo> RegisterVersionAsync(string version, MetricSet? metrics, string? artifactJson);

    /// <summary>
    /// Makes a registered version champion (an older one too: a rollback). Its samples start the window, the drift
    /// reference, the concept detector and the automatic baseline afresh; an explicit baseline stays.
    /// </summary>
    [Alias("PromoteVersion")]
    Task<MonitorSnapshot> PromoteVersionAsync(string version);
    /// <summary>Starts a retraining job, or returns the monitor's active one: at most one is PENDING or RUNNING.</summary>
    [Alias("TriggerRetrain")]
    Task<TrainingJob> TriggerRetrainAsync(TrainingTrigger trigger, string? reason);

    /// <summary>A job of this monitor produced a candidate: it is registered (once per job) and the promotion policy applied.</summary>
    [Alias("AcceptCandidate")]
    Task<CandidateDecision> AcceptCandidateAsync(TrainingCandidate candidate);

    /// <summary>A job of this monitor failed or was cancelled: it is no longer active, and a failure raises TRAINING_FAILED.</summary>
    [Alias("JobEnded")]
    Task JobEndedAsync(Guid jobId, TrainingStatus status, string? error);

    /// <summary>Starts an A/B test between two registered versions; while one runs, another is a CONFLICT naming it.</summary>
    [Alias("StartAbTest")]
    Task<AbTest> StartAbTestAsync(AbTestDefinition definition);

    /// <summary>The running test's outcomes from prediction samples; null for another test. Interleaves, so a test may ask while the monitor waits on it.</summary>
    [Alias("GetAbOutcomes"), Orleans.Concurrency.AlwaysInterleave]
    Task<PredictionOutcomes?> GetAbOutcomesAsync(Guid testId);

    /// <summary>A test of this monitor ended: once per test, COMPLETED raises AB_TEST_COMPLETED, and with autoPromote and winner B, B is promoted.</summary>
    [Alias("AbTestEnded")]
    Task AbTestEndedAsync(AbTest test);
}
