using ModelPerformance.Grains.Interfaces;
using FeatureKind = ModelPerformance.Grains.Interfaces.FeatureKind;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// What a monitor checks of its input against what it already holds (a fixed task, feature kinds, the feature
/// limit), before anything is stored. Errors name the input's own fields (<c>samples</c>, <c>task</c>, or an
/// evaluation's index in the call); the API in front adds the path of its argument.
/// </summary>
internal static class MonitorInputRules
{
    /// <summary>Distinct features one monitor tracks: each is a column of windowSize values, so this bounds its memory.</summary>
    public const int MaxFeaturesPerMonitor = 256;

    /// <summary>Calls that change a monitor's settings need one that exists.</summary>
    public static void RequireCreated(MonitorKey key, ModelMonitorState state)
    {
        if (!state.Created)
        {
            throw ServiceException.NotFound($"no monitor {key}: record data or configure it first", "modelId");
        }
    }

    /// <summary>A metric set given on its own (a baseline, a version's metrics) must be of one task, the monitor's when it has one.</summary>
    public static void CheckMetricsTask(ModelTask? task, MetricSet metrics, string what)
    {
        var implied = metrics.ImpliedTask();
        if (implied is null || (task is not null && task != implied))
        {
            throw ServiceException.BadInput($"{what} must be those of a {(task is { } t ? Names.Of(t) : "single")} task", "metrics");
        }
    }

    /// <summary>The task the evaluations fix (or keep); every one must agree with its metrics and with the monitor.</summary>
    public static ModelTask? CheckEvaluations(MonitorKey key, ModelTask? task, IReadOnlyList<EvaluationInput> inputs)
    {
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
        return task;
    }

    /// <summary>The batch's task; samples must agree on it, keep every feature's kind, and stay within the feature limit.</summary>
    public static ModelTask CheckPredictions(MonitorKey key, ModelMonitorState state, PredictionBatch batch)
    {
        var batchTask = batch.Task;
        var kinds = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Samples.Count; i++)
        {
            var sample = batch.Samples[i];
            var hasNumbers = sample.Predicted.HasValue || sample.Actual.HasValue;
            var hasLabels = sample.PredictedLabel is not null || sample.ActualLabel is not null;
            if (hasNumbers && hasLabels)
            {
                throw ServiceException.BadInput("a sample has either predicted/actual values or labels, not both", "samples", i);
            }
            ModelTask? sampleTask = hasLabels ? ModelTask.Classification : hasNumbers ? ModelTask.Regression : null;
            if (sampleTask is null)
            {
                throw ServiceException.BadInput("a sample needs a prediction: predicted (regression) or predictedLabel (classification)", "samples", i);
            }
            if (batchTask is not null && batchTask != sampleTask)
            {
                throw ServiceException.BadInput($"sample is {Names.Of(sampleTask.Value)} data in a {Names.Of(batchTask.Value)} batch", "samples", i);
            }
            batchTask = sampleTask;
            if (sample.Features is null)
            {
                continue;
            }
            foreach (var (name, value) in sample.Features)
            {
                var kind = value.IsNumeric ? FeatureKind.Numeric : FeatureKind.Categorical;
                var known = kinds.TryGetValue(name, out var k) ? k : state.FeatureKinds.TryGetValue(name, out var s) ? s : (FeatureKind?)null;
                if (known is not null && known != kind)
                {
                    throw ServiceException.BadInput($"feature '{name}' is {Names.Of(known.Value)}; a {Names.Of(kind)} value changes its kind", "samples", i, "features", name);
                }
                kinds[name] = kind;
            }
        }
        var newFeatures = kinds.Keys.Count(name => !state.FeatureKinds.ContainsKey(name));
        if (state.FeatureKinds.Count + newFeatures > MaxFeaturesPerMonitor)
        {
            throw ServiceException.BadInput(
                $"monitor {key} would track {state.FeatureKinds.Count + newFeatures} distinct features; at most {MaxFeaturesPerMonitor} are kept per monitor", "samples");
        }
        if (state.Task is { } monitorTask && monitorTask != batchTask)
        {
            throw ServiceException.BadInput($"monitor {key} is a {Names.Of(monitorTask)} monitor; {Names.Of(batchTask!.Value)} input is rejected", "task");
        }
        return batchTask!.Value;
    }
}
