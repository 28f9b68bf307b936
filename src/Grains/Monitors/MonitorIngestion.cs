using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Common;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using FeatureKind = ModelPerformance.Grains.Interfaces.FeatureKind;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// How committed history rows change a monitor: samples of the champion enter the window, the reference and the
/// concept detector; recorded evaluations of it enter the recorded window. The same code applies a live call and
/// replays rows after an activation, so both end in the same state.
/// </summary>
/// <param name="abOutcomes">Takes every applied prediction batch, for the running A/B test.</param>
internal sealed class MonitorIngestion(MonitorKey key, Func<ModelMonitorState> state, IHistoryWriter history, Action<PredictionBatchRow> abOutcomes)
{
    private ModelMonitorState State => state();

    /// <summary>The concept detector on the error stream; its state is saved with the monitor's.</summary>
    public PageHinkleyDetector Detector { get; private set; } = new();

    /// <summary>
    /// The last windowSize recorded evaluations of the active version. Not in the saved state: rebuilt from the
    /// history on activation, so a periodic save does not rewrite them all.
    /// </summary>
    public WeightedWindow RecordedWindow { get; private set; } = new(MonitorConfig.Default.WindowSize);

    /// <summary>The frozen reference's numeric columns, sorted once for all checks until the reference changes.</summary>
    public Dictionary<string, NumericReference> ReferenceCache { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when the detector fired while applying rows; the caller opens the alert once they are committed and clears it.</summary>
    public bool ConceptFired { get; set; }

    /// <summary>Restores the detector and the recorded window, then applies the rows the saved state lacks; true when there were any.</summary>
    public async Task<bool> ActivateAsync(ILogger logger, CancellationToken cancellationToken)
    {
        Detector = State.Detector?.ToDetector() ?? new PageHinkleyDetector();
        var replayed = await ReplayAsync(logger, cancellationToken);
        if (State.Created)
        {
            var recorded = await history.ReadRecentRecordedAsync(key, State.ActiveVersion, State.Config.WindowSize, cancellationToken);
            RecordedWindow = new WeightedWindow(State.Config.WindowSize);
            foreach (var evaluation in recorded)
            {
                RecordedWindow.Add(evaluation.Metrics.ToValues(), evaluation.SampleCount ?? 1);
            }
        }
        return replayed;
    }

    /// <summary>The history rows of recorded evaluations, numbered after the last row; the last model type given holds for all.</summary>
    public (List<EvaluationRow> Rows, string ModelType) EvaluationRows(IReadOnlyList<EvaluationInput> inputs, DateTime now)
    {
        var modelType = State.ModelType;
        foreach (var input in inputs)
        {
            modelType = input.ModelType ?? modelType;
        }
        var rows = new List<EvaluationRow>(inputs.Count);
        var seq = State.LastSeq;
        foreach (var input in inputs)
        {
            var evaluation = new Evaluation(TimeOrderedIds.New(), key.ModelId, key.MachineId, input.ModelVersion,
                input.EvaluatedAt ?? now, input.SampleCount, input.Metrics);
            rows.Add(new EvaluationRow(evaluation, modelType, ++seq, input.EvaluationId, EvaluationSource.Recorded));
        }
        return (rows, modelType);
    }

    /// <summary>Samples of the active version enter the window and, until it is full, the reference.</summary>
    public void ApplyBatch(PredictionBatchRow batch)
    {
        State.SampleCount += batch.Samples.Count;
        State.Task ??= batch.Samples[0].Predicted.HasValue ? ModelTask.Regression : ModelTask.Classification;
        abOutcomes(batch);
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
            if (Error(sample) is { } error && Detector.Add(error))
            {
                ConceptFired = true;
                State.ConceptFiredAt = batch.ReceivedAt;
            }
        }
    }

    public void ApplyEvaluation(EvaluationRow row)
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
            RecordedWindow.Add(evaluation.Metrics.ToValues(), evaluation.SampleCount ?? 1);
        }
    }

    /// <summary>Keeps the windows at the configured sizes; a reference still filling, or larger than asked, follows the setting.</summary>
    public void Resize(MonitorConfig config)
    {
        State.Window.Resize(config.WindowSize);
        if (!State.Reference.IsFull || State.Reference.Capacity > config.ReferenceSize)
        {
            State.Reference.Resize(config.ReferenceSize);
        }
        if (RecordedWindow.Capacity != config.WindowSize)
        {
            RecordedWindow.Resize(config.WindowSize);
        }
    }

    /// <summary>The next referenceSize samples become the reference, and the concept detector starts over.</summary>
    public void ResetReference()
    {
        State.Reference.Clear();
        State.SamplesAfterFreeze = 0;
        State.ConceptFiredAt = null;
        ReferenceCache.Clear();
        Detector.Reset();
    }

    /// <summary>
    /// A new champion: its data starts the window, the reference, the detector and the recorded window afresh, so
    /// nothing of the former champion is judged as the new one's.
    /// </summary>
    public void StartVersion(string version)
    {
        State.ActiveVersion = version;
        State.Window.Clear();
        ResetReference();
        RecordedWindow = new WeightedWindow(State.Config.WindowSize);
    }

    /// <summary>The detector's state, for the next save.</summary>
    public DetectorState SaveDetector() => DetectorState.Of(Detector);

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

    /// <summary>The error the concept detector watches: absolute error, or 1 for a misclassification.</summary>
    private static double? Error(PredictionSample sample) => sample switch
    {
        { Predicted: { } p, Actual: { } a } => Math.Abs(a - p),
        { PredictedLabel: { } pl, ActualLabel: { } al } => pl == al ? 0 : 1,
        _ => null,
    };

    private async Task<bool> ReplayAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var replay = await history.ReadAfterAsync(key, State.LastSeq, cancellationToken);
        var batches = replay.Batches.ToDictionary(b => b.Seq);
        var evaluations = replay.Evaluations.ToDictionary(e => e.Seq);
        var applied = false;
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
            applied = true;
        }
        if (applied)
        {
            State.Created = true;
            logger.LogInformation("Monitor {Monitor} caught up {Count} history rows its saved state lacked", key, batches.Count + evaluations.Count);
        }
        return applied;
    }
}
