using ModelPerformance.Grains.Common;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.Monitors;

/// <summary>The evaluation a prediction batch with actuals becomes (SEMANTICS.md, Monitors and samples): that batch's metrics alone.</summary>
internal static class BatchEvaluation
{
    /// <summary>Prefix of the evaluation id a prediction batch's evaluation gets; '/' is not allowed in client ids.</summary>
    private const string EvaluationPrefix = "batch/";

    /// <summary>The evaluation id of the batch with this id, so a retried batch finds its first answer.</summary>
    public static string EvaluationId(string batchId) => EvaluationPrefix + batchId;

    /// <summary>Null when no sample has both a prediction and an actual.</summary>
    public static EvaluationRow? Of(MonitorKey key, PredictionBatch batch, ModelTask task, string modelType, string positiveLabel, long seq, DateTime now)
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
                labelled.Select(s => s.ActualLabel!).ToList(), labelled.Select(s => s.PredictedLabel!).ToList(), positiveLabel);
        }
        if (pairs == 0)
        {
            return null;
        }
        var evaluatedAt = batch.Samples.Where(s => s.Timestamp.HasValue).Select(s => s.Timestamp!.Value).DefaultIfEmpty(now).Max();
        var evaluation = new Evaluation(TimeOrderedIds.New(), key.ModelId, key.MachineId, batch.ModelVersion, evaluatedAt, pairs, metrics.ToMetricSet());
        var evaluationId = batch.BatchId is null ? null : EvaluationId(batch.BatchId);
        return new EvaluationRow(evaluation, modelType, seq, evaluationId, EvaluationSource.Predictions);
    }
}
