using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using FeatureKind = ModelPerformance.Grains.Interfaces.FeatureKind;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// A drift check of a monitor's state (SEMANTICS.md, Data drift): every feature and the prediction, the
/// frozen reference against the samples that came after it. The reference side is sorted once per freeze
/// and kept in <paramref name="referenceCache"/> by the caller.
/// </summary>
internal static class DriftCheck
{
    public const string PredictionFeature = "prediction";

    /// <summary>The concept detector's part of a check: it fired since the previous check, or not.</summary>
    public static ConceptDriftStatus Concept(ModelMonitorState state, PageHinkleyDetector detector) =>
        new(detector.Name, state.ConceptFiredAt is { } fired && (state.LastCheckAt is null || fired > state.LastCheckAt), state.ConceptFiredAt,
            (int)detector.SamplesSinceReset);

    public static DriftReport Run(ModelMonitorState state, ConceptDriftStatus concept, DateTime now, Dictionary<string, NumericReference> referenceCache)
    {
        var config = state.Config;
        var reference = state.Reference;
        var currentCount = (int)Math.Min(state.Window.Count, Math.Min(config.WindowSize, state.SamplesAfterFreeze));
        string? skipped = null;
        if (!reference.IsFull)
        {
            skipped = $"reference not full: {reference.Count} of {config.ReferenceSize} samples";
        }
        else if (currentCount < config.MinSamples)
        {
            skipped = $"too few current samples: {currentCount} of minSamples {config.MinSamples}";
        }
        if (skipped is not null)
        {
            return new DriftReport(now, false, 0, reference.Count, currentCount, skipped, [], concept);
        }

        var slots = state.Window.Slots(currentCount).ToArray();
        var results = new List<FeatureDriftResult>();
        foreach (var (name, column) in reference.NumericFeatures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (state.Window.NumericFeatures.TryGetValue(name, out var current))
            {
                AddNumeric(results, name, column, current, slots, config, referenceCache);
            }
        }
        foreach (var (name, column) in reference.CategoricalFeatures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (state.Window.CategoricalFeatures.TryGetValue(name, out var current))
            {
                AddCategorical(results, name, column, current, slots, config);
            }
        }
        if (state.Task == ModelTask.Classification)
        {
            AddCategorical(results, PredictionFeature, reference.PredictedLabels, state.Window.PredictedLabels, slots, config);
        }
        else
        {
            AddNumeric(results, PredictionFeature, reference.Predicted, state.Window.Predicted, slots, config, referenceCache);
        }

        var summary = DriftTests.Summarize(results, config.DriftShareThreshold);
        return new DriftReport(now, summary.DriftDetected, summary.DriftScore, reference.Count, currentCount, null,
            results.Select(ToFeatureDrift).ToList(), concept);
    }

    private static void AddNumeric(List<FeatureDriftResult> results, string name, double[] referenceColumn, double[] currentColumn, int[] slots,
        MonitorConfig config, Dictionary<string, NumericReference> referenceCache)
    {
        if (!referenceCache.TryGetValue(name, out var reference))
        {
            var values = referenceColumn.Where(double.IsFinite).ToArray();
            if (values.Length == 0)
            {
                return;
            }
            reference = new NumericReference(values);
            referenceCache[name] = reference;
        }
        var current = new List<double>(slots.Length);
        foreach (var slot in slots)
        {
            if (double.IsFinite(currentColumn[slot]))
            {
                current.Add(currentColumn[slot]);
            }
        }
        if (current.Count > 0)
        {
            results.Add(DriftTests.TestFeature(name, reference, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(current), config.KsAlpha, config.DistanceThreshold));
        }
    }

    private static void AddCategorical(List<FeatureDriftResult> results, string name, string?[] referenceColumn, string?[] currentColumn, int[] slots, MonitorConfig config)
    {
        var reference = referenceColumn.OfType<string>().ToList();
        var current = slots.Select(slot => currentColumn[slot]).OfType<string>().ToList();
        if (reference.Count > 0 && current.Count > 0)
        {
            results.Add(DriftTests.TestFeature(name, reference, current, config.KsAlpha, config.DistanceThreshold));
        }
    }

    private static FeatureDrift ToFeatureDrift(FeatureDriftResult r) => new(
        r.Feature,
        r.Kind == Statistics.FeatureKind.Numeric ? FeatureKind.Numeric : FeatureKind.Categorical,
        Names.Of(r.Method),
        r.Score, r.Threshold, r.Drifted, r.Psi, r.KsStatistic, r.KsPValue, r.Wasserstein, r.JensenShannon, r.ChiSquaredPValue);
}
