using GraphQL.Types;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Monitors;

// The inputs stay dictionaries (untyped input objects): InputValidator maps them to grain DTOs, which
// is where each failure gets the path of the field that caused it.

public sealed class MetricSetInputGraphType : InputObjectGraphType
{
    /// <summary>The input's field of each metric, indexed by <see cref="Grains.Interfaces.Metric"/>.</summary>
    public static readonly string[] FieldNames = ["rSquared", "rmse", "mae", "mape", "accuracy", "precision", "recall", "f1"];

    public MetricSetInputGraphType()
    {
        Name = "MetricSetInput";
        foreach (var name in FieldNames)
        {
            Field<FloatGraphType>(name);
        }
    }
}

public sealed class RecordEvaluationInputGraphType : InputObjectGraphType
{
    public const string TypeName = "RecordEvaluationInput";

    public RecordEvaluationInputGraphType()
    {
        Name = TypeName;
        Field<IdGraphType>("evaluationId").Description("Idempotency key: the same id twice stores one evaluation.");
        Field<NonNullGraphType<IdGraphType>>("modelId");
        Field<NonNullGraphType<IdGraphType>>("machineId");
        Field<StringGraphType>("modelType");
        Field<ModelTaskGraphType>("task");
        Field<StringGraphType>("modelVersion");
        Field<UtcDateTimeGraphType>("evaluatedAt");
        Field<IntGraphType>("sampleCount");
        Field<NonNullGraphType<MetricSetInputGraphType>>("metrics");
    }
}

public sealed class PredictionSampleInputGraphType : InputObjectGraphType
{
    public PredictionSampleInputGraphType()
    {
        Name = "PredictionSampleInput";
        Field<UtcDateTimeGraphType>("timestamp");
        Field<FloatGraphType>("predicted").Description("Regression: predicted and actual values. Classification: labels.");
        Field<FloatGraphType>("actual");
        Field<StringGraphType>("predictedLabel");
        Field<StringGraphType>("actualLabel");
        Field<JsonGraphType>("features").Description("Flat object of feature name to number (numeric) or string (categorical).");
    }
}

public sealed class RecordPredictionsInputGraphType : InputObjectGraphType
{
    public RecordPredictionsInputGraphType()
    {
        Name = "RecordPredictionsInput";
        Field<IdGraphType>("batchId").Description("Idempotency key for the whole batch.");
        Field<NonNullGraphType<IdGraphType>>("modelId");
        Field<NonNullGraphType<IdGraphType>>("machineId");
        Field<StringGraphType>("modelType");
        Field<ModelTaskGraphType>("task");
        Field<StringGraphType>("modelVersion");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PredictionSampleInputGraphType>>>>("samples");
    }
}

public sealed class MonitorConfigInputGraphType : InputObjectGraphType
{
    public MonitorConfigInputGraphType()
    {
        Name = "MonitorConfigInput";
        Field<IntGraphType>("checkIntervalMinutes");
        Field<FloatGraphType>("warningDegradation");
        Field<FloatGraphType>("criticalDegradation");
        Field<IntGraphType>("minSamples");
        Field<IntGraphType>("referenceSize");
        Field<IntGraphType>("windowSize");
        Field<FloatGraphType>("ksAlpha");
        Field<FloatGraphType>("distanceThreshold");
        Field<FloatGraphType>("driftShareThreshold");
        Field<IntGraphType>("noDataMinutes");
        Field<BooleanGraphType>("autoRetrain");
        Field<IntGraphType>("retrainCooldownMinutes");
        Field<IntGraphType>("retrainIntervalHours");
        Field<PromotionPolicyGraphType>("promotionPolicy");
        Field<StringGraphType>("positiveLabel");
        Field<StringGraphType>("trainerUrl");
    }
}
