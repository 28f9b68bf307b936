namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// The performance monitor of one model on one machine, keyed <c>modelId/machineId</c> (see <see cref="MonitorKey"/>).
/// Every mutating call is acknowledged only after its history rows are committed.
/// </summary>
[Alias("IModelMonitorGrain")]
public interface IModelMonitorGrain : IGrainWithStringKey
{
    /// <summary>Stores precomputed evaluations; ones whose evaluationId was seen before count as duplicates.</summary>
    [Alias("RecordEvaluations")]
    Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<EvaluationInput> inputs);

    /// <summary>Adds a batch of predictions to the window; a batchId seen before stores nothing.</summary>
    [Alias("RecordPredictions")]
    Task<PredictionBatchResult> RecordPredictionsAsync(PredictionBatch batch);

    [Alias("Configure")]
    Task<MonitorSnapshot> ConfigureAsync(string? modelType, MonitorConfigPatch patch);

    [Alias("SetBaseline")]
    Task<MonitorSnapshot> SetBaselineAsync(MetricSet baseline);

    /// <summary>Null when nothing ever created this monitor.</summary>
    [Alias("GetSnapshot")]
    Task<MonitorSnapshot?> GetSnapshotAsync();
}
