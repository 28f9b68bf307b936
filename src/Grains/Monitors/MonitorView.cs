using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using MetricDegradation = ModelPerformance.Grains.Interfaces.MetricDegradation;

namespace ModelPerformance.Grains.Monitors;

/// <summary>What a monitor's state means to a client: current metrics, baseline, degradation and health.</summary>
internal static class MonitorView
{
    /// <param name="recorded">The window of recorded evaluations.</param>
    public static MonitorSnapshot Snapshot(MonitorKey key, ModelMonitorState state, WeightedWindow recorded)
    {
        var (current, judged) = Current(state, recorded);
        var baseline = Baseline(state);
        var degradation = new List<MetricDegradation>();
        if (baseline is not null)
        {
            foreach (var d in Degradation.Evaluate(baseline.ToValues(), current.ToValues(), state.Config.WarningDegradation, state.Config.CriticalDegradation))
            {
                var status = judged < state.Config.MinSamples ? HealthStatus.Unknown : d.Status.ToStatus();
                degradation.Add(new MetricDegradation(d.Metric.ToMetric(), d.Baseline, d.Current, d.RelativeChange, status));
            }
        }
        var health = Health(state, degradation.Select(d => d.Status));
        return new MonitorSnapshot(
            key.ModelId, key.MachineId, state.ModelType, state.Task, state.ActiveVersion,
            state.EvaluationCount, state.SampleCount, state.Latest?.EvaluatedAt, state.Latest,
            current, baseline, health, degradation, state.LastDrift, state.Config, judged);
    }

    /// <summary>
    /// Metrics over the window's samples, exactly; a monitor fed only recorded evaluations weighs those
    /// instead. Also returns how many samples the judgement rests on.
    /// </summary>
    public static (MetricSet Metrics, int Samples) Current(ModelMonitorState state, WeightedWindow recorded)
    {
        if (state.Window.Count > 0)
        {
            var metrics = Metrics(state.Window, state.Task, state.Config.PositiveLabel, out var pairs);
            return (metrics, pairs);
        }
        if (recorded.Count > 0)
        {
            return (recorded.Metrics().ToMetricSet(), (int)Math.Min(recorded.TotalWeight, int.MaxValue));
        }
        return (MetricSet.Empty, 0);
    }

    /// <summary>
    /// Unknown before any data; otherwise the worst of the judged degradation statuses and the open alerts' severities,
    /// or OK. A monitor without a baseline has no degradation, so its health needs no window: pass none.
    /// </summary>
    public static HealthStatus Health(ModelMonitorState state, IEnumerable<HealthStatus> degradation)
    {
        if (state.EvaluationCount == 0 && state.SampleCount == 0)
        {
            return HealthStatus.Unknown;
        }
        // A loop, not LINQ: ingestion asks this on every call.
        var worst = MonitorAlerts.Worst(state);
        foreach (var status in degradation)
        {
            if (status != HealthStatus.Unknown && (worst is null || status > worst))
            {
                worst = status;
            }
        }
        return worst ?? HealthStatus.Ok;
    }

    /// <summary>The baseline a client set, else the reference samples' metrics once the reference is full.</summary>
    public static MetricSet? Baseline(ModelMonitorState state)
    {
        if (state.ExplicitBaseline is not null)
        {
            return state.ExplicitBaseline;
        }
        return state.Reference.IsFull ? Metrics(state.Reference, state.Task, state.Config.PositiveLabel, out _) : null;
    }

    private static MetricSet Metrics(SampleWindow window, ModelTask? task, string positiveLabel, out int pairs)
    {
        if (task == ModelTask.Classification)
        {
            var (actual, predicted) = window.LabelPairs();
            pairs = actual.Length;
            return pairs == 0 ? MetricSet.Empty : ClassificationMetrics.Compute(actual, predicted, positiveLabel).ToMetricSet();
        }
        var (actualValues, predictedValues) = window.NumericPairs();
        pairs = actualValues.Length;
        return pairs == 0 ? MetricSet.Empty : RegressionMetrics.Compute(actualValues, predictedValues).ToMetricSet();
    }
}
