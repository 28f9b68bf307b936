using GraphQL;
using GraphQL.Types;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Training;

/// <summary>Retraining's root fields. Training comes with its own issue: until then there are no jobs to find or start.</summary>
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
            .Resolve(_ => throw NotAvailable.Error("promoteVersion"));
    }

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
