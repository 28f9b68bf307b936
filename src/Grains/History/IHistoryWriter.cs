using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>Where an evaluation came from.</summary>
public enum EvaluationSource { Recorded, Predictions }

/// <summary>An evaluation as stored: <paramref name="Seq"/> orders it among its monitor's writes.</summary>
public sealed record EvaluationRow(Evaluation Evaluation, string ModelType, long Seq, string? EvaluationId, EvaluationSource Source);

/// <summary>A prediction batch as received, kept so a monitor can rebuild its window after a crash.</summary>
public sealed record PredictionBatchRow(long Seq, string? BatchId, string? ModelVersion, DateTime ReceivedAt, IReadOnlyList<PredictionSample> Samples);

/// <summary>The history rows of one monitor after some seq, in seq order.</summary>
public sealed record HistoryReplay(IReadOnlyList<EvaluationRow> Evaluations, IReadOnlyList<PredictionBatchRow> Batches);

/// <summary>What the registry of monitors records for lists and filters.</summary>
public sealed record MonitorRegistration(MonitorKey Key, string ModelType, ModelTask? Task, string? ActiveVersion, HealthStatus Health);

/// <summary>
/// The write side of the history, used by monitor grains. <see cref="AppendAsync"/> returns once the rows are
/// committed; rows whose evaluation id or batch id the monitor already stored are skipped, not stored twice.
/// </summary>
public interface IHistoryWriter
{
    /// <summary>Commits the rows and returns the seqs of those skipped as duplicates.</summary>
    Task<IReadOnlySet<long>> AppendAsync(MonitorKey key, IReadOnlyList<EvaluationRow> evaluations, PredictionBatchRow? batch, CancellationToken cancellationToken = default);

    Task<HistoryReplay> ReadAfterAsync(MonitorKey key, long seq, CancellationToken cancellationToken = default);

    Task<Evaluation?> FindEvaluationAsync(MonitorKey key, string evaluationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The monitor's last <paramref name="count"/> recorded evaluations (not those computed from prediction
    /// batches) of <paramref name="version"/> or of no version, oldest first: the recorded window, rebuilt.
    /// </summary>
    Task<IReadOnlyList<Evaluation>> ReadRecentRecordedAsync(MonitorKey key, string? version, int count, CancellationToken cancellationToken = default);

    Task RegisterMonitorAsync(MonitorRegistration registration, CancellationToken cancellationToken = default);
}
