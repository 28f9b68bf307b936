using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Training;

/// <summary>Retraining's root fields: the version registry is served; training jobs are not yet, so there are none to find or start.</summary>
public static class TrainingFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<TrainingJobGraphType>("trainingJob")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => null);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingJobGraphType>>>>("trainingJobs")
            .Argument<IdGraphType>("modelId")
            .Argument<IdGraphType>("machineId")
            .Argument<TrainingStatusGraphType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Resolve(_ => Array.Empty<TrainingJob>());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("triggerRetrain")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<StringGraphType>("reason")
            .Resolve(_ => throw NotAvailable.Error("triggerRetrain"));

        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("cancelTraining")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => throw NotAvailable.Error("cancelTraining"));

        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("completeTraining")
            .Description("Callback for external trainers.")
            .Argument<NonNullGraphType<CompleteTrainingInputGraphType>>("input")
            .Resolve(_ => throw NotAvailable.Error("completeTraining"));

        mutation.Field<NonNullGraphType<MonitorGraphType>>("promoteVersion")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<NonNullGraphType<StringGraphType>>("version")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                return await Gateway(c).Grain(key).PromoteVersionAsync(c.GetArgument<string>("version"));
            });

        mutation.Field<NonNullGraphType<ModelVersionGraphType>>("registerVersion")
            .Description("Register a version trained elsewhere (not champion).")
            .Argument<NonNullGraphType<RegisterVersionInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (key, version, metrics, artifact) = InputValidator.Version(c.GetArgument<Dictionary<string, object?>>("input"), "input");
                return await ArgumentPath.Under("input", () => Gateway(c).Grain(key).RegisterVersionAsync(version, metrics, artifact));
            });
    }

    private static MonitorGateway Gateway(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<MonitorGateway>();

    public static void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<TrainingJobGraphType>>("trainingJobUpdated")
            .Argument<IdGraphType>("modelId")
            .Argument<IdGraphType>("machineId")
            .ResolveStream(c =>
            {
                var modelId = c.GetArgument<string?>("modelId");
                var machineId = c.GetArgument<string?>("machineId");
                return EventStreams.Of<TrainingJobUpdated>(c,
                    e => EventStreams.Matches(modelId, e.Job.ModelId) && EventStreams.Matches(machineId, e.Job.MachineId),
                    e => e.Job);
            });
    }
}
