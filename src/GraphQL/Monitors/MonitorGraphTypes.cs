using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Monitors;

public sealed class MetricSetGraphType : ObjectGraphType<MetricSet>
{
    public MetricSetGraphType()
    {
        Name = "MetricSet";
        Description = "Quality metrics. A metric that does not apply to the task, or cannot be computed (e.g. R² of a constant target), is null. MAPE is a percentage.";
        Field<FloatGraphType>("rSquared").Resolve(c => c.Source.RSquared);
        Field<FloatGraphType>("rmse").Resolve(c => c.Source.Rmse);
        Field<FloatGraphType>("mae").Resolve(c => c.Source.Mae);
        Field<FloatGraphType>("mape").Resolve(c => c.Source.Mape);
        Field<FloatGraphType>("accuracy").Resolve(c => c.Source.Accuracy);
        Field<FloatGraphType>("precision").Resolve(c => c.Source.Precision);
        Field<FloatGraphType>("recall").Resolve(c => c.Source.Recall);
        Field<FloatGraphType>("f1").Resolve(c => c.Source.F1);
    }
}

public sealed class EvaluationGraphType : ObjectGraphType<Evaluation>
{
    public EvaluationGraphType()
    {
        Name = "Evaluation";
        Description = "One evaluation of one model version on one machine: recorded as given, or computed from a batch of predictions.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<StringGraphType>("modelVersion").Resolve(c => c.Source.ModelVersion);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("evaluatedAt").Resolve(c => c.Source.EvaluatedAt);
        Field<IntGraphType>("sampleCount").Resolve(c => c.Source.SampleCount);
        Field<NonNullGraphType<MetricSetGraphType>>("metrics").Resolve(c => c.Source.Metrics);
    }
}

public sealed class TrendPointGraphType : ObjectGraphType<TrendPoint>
{
    public TrendPointGraphType()
    {
        Name = "TrendPoint";
        Field<NonNullGraphType<UtcDateTimeGraphType>>("bucketStart").Resolve(c => c.Source.BucketStart);
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(c => c.Source.Count);
        Field<NonNullGraphType<FloatGraphType>>("mean").Resolve(c => c.Source.Mean);
        Field<NonNullGraphType<FloatGraphType>>("min").Resolve(c => c.Source.Min);
        Field<NonNullGraphType<FloatGraphType>>("max").Resolve(c => c.Source.Max);
    }
}

public sealed class MetricDegradationGraphType : ObjectGraphType<MetricDegradation>
{
    public MetricDegradationGraphType()
    {
        Name = "MetricDegradation";
        Field<NonNullGraphType<MetricGraphType>>("metric").Resolve(c => c.Source.Metric);
        Field<NonNullGraphType<FloatGraphType>>("baseline").Resolve(c => c.Source.Baseline);
        Field<NonNullGraphType<FloatGraphType>>("current").Resolve(c => c.Source.Current);
        Field<NonNullGraphType<FloatGraphType>>("relativeChange")
            .Description("Relative change in the bad direction: positive means worse (higher error, lower R², accuracy, precision, recall or F1).")
            .Resolve(c => c.Source.RelativeChange);
        Field<NonNullGraphType<HealthStatusGraphType>>("status").Resolve(c => c.Source.Status);
    }
}

public sealed class FeatureDriftGraphType : ObjectGraphType<FeatureDrift>
{
    public FeatureDriftGraphType()
    {
        Name = "FeatureDrift";
        Field<NonNullGraphType<StringGraphType>>("feature")
            .Description("Feature name; the model's own predictions are checked too, as the feature named `prediction`.")
            .Resolve(c => c.Source.Feature);
        Field<NonNullGraphType<FeatureKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("method")
            .Description("The test that decided `drifted`: KS, WASSERSTEIN, CHI_SQUARED or JENSEN_SHANNON.")
            .Resolve(c => c.Source.Method);
        Field<NonNullGraphType<FloatGraphType>>("score")
            .Description("The decided test's value (a p-value for KS and CHI_SQUARED, a distance otherwise) and its threshold.")
            .Resolve(c => c.Source.Score);
        Field<NonNullGraphType<FloatGraphType>>("threshold").Resolve(c => c.Source.Threshold);
        Field<NonNullGraphType<BooleanGraphType>>("drifted").Resolve(c => c.Source.Drifted);
        Field<FloatGraphType>("psi").Description("Population stability index (numeric features).").Resolve(c => c.Source.Psi);
        Field<FloatGraphType>("ksStatistic").Description("Two-sample Kolmogorov-Smirnov statistic D and its p-value (numeric features).").Resolve(c => c.Source.KsStatistic);
        Field<FloatGraphType>("ksPValue").Resolve(c => c.Source.KsPValue);
        Field<FloatGraphType>("wasserstein").Description("Wasserstein-1 distance divided by the reference's standard deviation (numeric features).").Resolve(c => c.Source.Wasserstein);
        Field<FloatGraphType>("jensenShannon").Description("Jensen-Shannon distance between category frequencies (categorical features).").Resolve(c => c.Source.JensenShannon);
        Field<FloatGraphType>("chiSquaredPValue").Description("p-value of Pearson's chi-squared test of homogeneity (categorical features).").Resolve(c => c.Source.ChiSquaredPValue);
    }
}

public sealed class ConceptDriftGraphType : ObjectGraphType<ConceptDriftStatus>
{
    public ConceptDriftGraphType()
    {
        Name = "ConceptDrift";
        Field<NonNullGraphType<StringGraphType>>("detector")
            .Description("The detector run on the monitor's error stream, e.g. PAGE_HINKLEY or ADWIN.")
            .Resolve(c => c.Source.Detector);
        Field<NonNullGraphType<BooleanGraphType>>("detected").Resolve(c => c.Source.Detected);
        Field<UtcDateTimeGraphType>("detectedAt").Resolve(c => c.Source.DetectedAt);
        Field<NonNullGraphType<IntGraphType>>("samplesSinceReset").Resolve(c => c.Source.SamplesSinceReset);
    }
}

public sealed class DriftReportGraphType : ObjectGraphType<DriftReport>
{
    public DriftReportGraphType()
    {
        Name = "DriftReport";
        Field<NonNullGraphType<UtcDateTimeGraphType>>("checkedAt").Resolve(c => c.Source.CheckedAt);
        Field<NonNullGraphType<BooleanGraphType>>("driftDetected")
            .Description("True when the share of drifted features reaches the monitor's driftShareThreshold.")
            .Resolve(c => c.Source.DriftDetected);
        Field<NonNullGraphType<FloatGraphType>>("driftScore").Description("Share of drifted features, 0..1.").Resolve(c => c.Source.DriftScore);
        Field<NonNullGraphType<IntGraphType>>("referenceSize").Resolve(c => c.Source.ReferenceSize);
        Field<NonNullGraphType<IntGraphType>>("currentSize").Resolve(c => c.Source.CurrentSize);
        Field<StringGraphType>("skippedReason")
            .Description("Why no verdict could be reached, e.g. too few samples; null when the check ran.")
            .Resolve(c => c.Source.SkippedReason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeatureDriftGraphType>>>>("features").Resolve(c => c.Source.Features);
        Field<NonNullGraphType<ConceptDriftGraphType>>("conceptDrift").Resolve(c => c.Source.ConceptDrift);
    }
}

public sealed class MonitorConfigGraphType : ObjectGraphType<MonitorConfig>
{
    public MonitorConfigGraphType()
    {
        Name = "MonitorConfig";
        Field<NonNullGraphType<IntGraphType>>("checkIntervalMinutes")
            .Description("Minutes between periodic checks (drift, degradation, no data); at least 1.")
            .Resolve(c => c.Source.CheckIntervalMinutes);
        Field<NonNullGraphType<FloatGraphType>>("warningDegradation")
            .Description("Relative degradation against the baseline that raises a WARNING, and a CRITICAL.")
            .Resolve(c => c.Source.WarningDegradation);
        Field<NonNullGraphType<FloatGraphType>>("criticalDegradation").Resolve(c => c.Source.CriticalDegradation);
        Field<NonNullGraphType<IntGraphType>>("minSamples")
            .Description("Fewest samples in the current window before degradation or drift is judged.")
            .Resolve(c => c.Source.MinSamples);
        Field<NonNullGraphType<IntGraphType>>("referenceSize")
            .Description("Samples frozen as the drift reference for the active version.")
            .Resolve(c => c.Source.ReferenceSize);
        Field<NonNullGraphType<IntGraphType>>("windowSize").Description("Samples in the rolling current window.").Resolve(c => c.Source.WindowSize);
        Field<NonNullGraphType<FloatGraphType>>("ksAlpha").Resolve(c => c.Source.KsAlpha);
        Field<NonNullGraphType<FloatGraphType>>("distanceThreshold").Resolve(c => c.Source.DistanceThreshold);
        Field<NonNullGraphType<FloatGraphType>>("driftShareThreshold").Resolve(c => c.Source.DriftShareThreshold);
        Field<NonNullGraphType<IntGraphType>>("noDataMinutes")
            .Description("Minutes without data after which a NO_DATA alert opens; 0 disables it.")
            .Resolve(c => c.Source.NoDataMinutes);
        Field<NonNullGraphType<BooleanGraphType>>("autoRetrain")
            .Description("Open a retraining job on its own when a CRITICAL degradation or drift alert opens.")
            .Resolve(c => c.Source.AutoRetrain);
        Field<NonNullGraphType<IntGraphType>>("retrainCooldownMinutes").Resolve(c => c.Source.RetrainCooldownMinutes);
        Field<NonNullGraphType<IntGraphType>>("retrainIntervalHours")
            .Description("Hours between SCHEDULED retraining jobs; 0 turns scheduling off.")
            .Resolve(c => c.Source.RetrainIntervalHours);
        Field<NonNullGraphType<PromotionPolicyGraphType>>("promotionPolicy").Resolve(c => c.Source.PromotionPolicy);
        Field<NonNullGraphType<StringGraphType>>("positiveLabel")
            .Description("Label counted as positive for binary precision, recall and F1.")
            .Resolve(c => c.Source.PositiveLabel);
        Field<StringGraphType>("trainerUrl")
            .Description("Where external training jobs are sent; null means the built-in trainer.")
            .Resolve(c => c.Source.TrainerUrl);
    }
}

public sealed class RecordBatchResultGraphType : ObjectGraphType<RecordBatchResult>
{
    public RecordBatchResultGraphType()
    {
        Name = "RecordBatchResult";
        Field<NonNullGraphType<IntGraphType>>("accepted").Resolve(c => c.Source.Accepted);
        Field<NonNullGraphType<IntGraphType>>("duplicates").Resolve(c => c.Source.Duplicates);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EvaluationGraphType>>>>("evaluations").Resolve(c => c.Source.Evaluations);
    }
}

public sealed class PredictionBatchResultGraphType : ObjectGraphType<PredictionBatchResult>
{
    public PredictionBatchResultGraphType()
    {
        Name = "PredictionBatchResult";
        Field<NonNullGraphType<IntGraphType>>("accepted").Resolve(c => c.Source.Accepted);
        Field<NonNullGraphType<BooleanGraphType>>("duplicate")
            .Description("True when this batchId was seen before and nothing new was stored.")
            .Resolve(c => c.Source.Duplicate);
        Field<EvaluationGraphType>("evaluation").Description("Metrics of this batch alone.").Resolve(c => c.Source.Evaluation);
        Field<NonNullGraphType<MonitorGraphType>>("monitor").Resolve(c => c.Source.Monitor);
    }
}
