using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Training;

public sealed class ModelVersionGraphType : ObjectGraphType<ModelVersionInfo>
{
    public ModelVersionGraphType()
    {
        Name = "ModelVersion";
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<StringGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<IdGraphType>("trainingJobId").Resolve(c => c.Source.TrainingJobId);
        Field<MetricSetGraphType>("metrics").Resolve(c => c.Source.Metrics);
        Field<NonNullGraphType<BooleanGraphType>>("isChampion").Resolve(c => c.Source.IsChampion);
        Field<JsonGraphType>("artifact")
            .Description("Trainer output, e.g. regression coefficients or an artifact URI.")
            .Resolve(c => JsonGraphType.FromText(c.Source.ArtifactJson));
        Field<UtcDateTimeGraphType>("promotedAt").Description("When it last became champion; null if it never was.").Resolve(c => c.Source.PromotedAt);
    }
}

public sealed class RegisterVersionInputGraphType : InputObjectGraphType
{
    public RegisterVersionInputGraphType()
    {
        Name = "RegisterVersionInput";
        Field<NonNullGraphType<IdGraphType>>("modelId");
        Field<NonNullGraphType<IdGraphType>>("machineId");
        Field<NonNullGraphType<StringGraphType>>("version");
        Field<JsonGraphType>("artifact").Description("Trainer output or an artifact URI.");
        Field<MetricSetInputGraphType>("metrics");
    }
}

public sealed class TrainingJobGraphType : ObjectGraphType<TrainingJob>
{
    public TrainingJobGraphType()
    {
        Name = "TrainingJob";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<TrainingTriggerGraphType>>("trigger").Resolve(c => c.Source.Trigger);
        Field<NonNullGraphType<TrainingStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("reason").Resolve(c => c.Source.Reason);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<UtcDateTimeGraphType>("startedAt").Resolve(c => c.Source.StartedAt);
        Field<UtcDateTimeGraphType>("completedAt").Resolve(c => c.Source.CompletedAt);
        Field<StringGraphType>("previousVersion").Resolve(c => c.Source.PreviousVersion);
        Field<StringGraphType>("newVersion").Resolve(c => c.Source.NewVersion);
        Field<JsonGraphType>("hyperparameters").Resolve(c => JsonGraphType.FromText(c.Source.HyperparametersJson));
        Field<MetricSetGraphType>("metricsBefore")
            .Description("Champion and candidate measured on the same holdout samples.")
            .Resolve(c => c.Source.MetricsBefore);
        Field<MetricSetGraphType>("metricsAfter").Resolve(c => c.Source.MetricsAfter);
        Field<FloatGraphType>("improvement")
            .Description("Relative improvement of the primary error metric (positive is better).")
            .Resolve(c => c.Source.Improvement);
        Field<StringGraphType>("error").Resolve(c => c.Source.Error);
        Field<IdGraphType>("abTestId").Description("The A/B test started for this candidate, if any.").Resolve(c => c.Source.AbTestId);
    }
}

public sealed class CompleteTrainingInputGraphType : InputObjectGraphType
{
    public CompleteTrainingInputGraphType()
    {
        Name = "CompleteTrainingInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<NonNullGraphType<BooleanGraphType>>("succeeded");
        Field<StringGraphType>("newVersion");
        Field<MetricSetInputGraphType>("metricsAfter");
        Field<JsonGraphType>("artifact");
        Field<StringGraphType>("error");
        Field<StringGraphType>("token").Description("The job's callback token, sent to the trainer in the job's POST. A wrong or missing token is FORBIDDEN.");
    }
}
