using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Training;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Training;

/// <summary>Retraining's root fields: training jobs (built-in and external trainers) and the version registry.</summary>
public static class TrainingFields
{
    public const int MaxJobsPerQuery = 1_000;
    public const int MaxReasonLength = 2_000;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<TrainingJobGraphType>("trainingJob")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => Guid.TryParse(c.GetArgument<string>("id"), out var id) ? await Jobs(c).GetAsync(id, c.CancellationToken) : null);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingJobGraphType>>>>("trainingJobs")
            .Argument<IdGraphType>("modelId")
            .Argument<IdGraphType>("machineId")
            .Argument<TrainingStatusGraphType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .ResolveAsync(async c =>
            {
                var first = InputValidator.First(c.GetArgument<int?>("first"), 50, MaxJobsPerQuery);
                var filter = new TrainingJobFilter(c.GetArgument<string?>("modelId"), c.GetArgument<string?>("machineId"), c.GetArgument<TrainingStatus?>("status"));
                return await Jobs(c).QueryAsync(filter, first, c.CancellationToken);
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("triggerRetrain")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                var reason = c.GetArgument<string?>("reason");
                if (reason is { Length: > MaxReasonLength })
                {
                    throw ServiceException.BadInput($"reason must be at most {MaxReasonLength} characters", "reason");
                }
                return await Gateway(c).Grain(key).TriggerRetrainAsync(TrainingTrigger.Manual, reason);
            });

        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("cancelTraining")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = Guid.TryParse(c.GetArgument<string>("id"), out var parsed) ? parsed
                    : throw ServiceException.NotFound($"no training job {c.GetArgument<string>("id")}", "id");
                return await c.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<ITrainingJobGrain>(id).CancelAsync();
            });

        mutation.Field<NonNullGraphType<TrainingJobGraphType>>("completeTraining")
            .Description("Callback for external trainers.")
            .Argument<NonNullGraphType<CompleteTrainingInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var id = Guid.TryParse(input.GetValueOrDefault("id")?.ToString(), out var parsed) ? parsed
                    : throw ServiceException.NotFound($"no training job {input.GetValueOrDefault("id")}", "input", "id");
                var completion = Completion(input);
                var job = c.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<ITrainingJobGrain>(id);
                // An id no job has is NOT_FOUND, not a token check against nothing.
                if (await job.GetAsync() is null)
                {
                    throw ServiceException.NotFound($"no training job {id}", "input", "id");
                }
                return await ArgumentPath.Under("input", () => job.CompleteAsync(completion));
            });

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

    /// <summary>completeTraining's input: a version name like modelVersion's, metrics as any metrics, an artifact of bounded size.</summary>
    private static TrainingCompletion Completion(IReadOnlyDictionary<string, object?> input)
    {
        var version = input.GetValueOrDefault("newVersion") as string;
        if (version is { Length: 0 or > InputValidator.MaxTextLength })
        {
            throw ServiceException.BadInput($"newVersion must be 1 to {InputValidator.MaxTextLength} characters", "input", "newVersion");
        }
        var metrics = input.GetValueOrDefault("metricsAfter") is IReadOnlyDictionary<string, object?> m ? InputValidator.Metrics(m, "input", "metricsAfter") : null;
        var artifact = (input.GetValueOrDefault("artifact") as System.Text.Json.Nodes.JsonNode)?.ToJsonString();
        if (artifact is { Length: > InputValidator.MaxArtifactLength })
        {
            throw ServiceException.BadInput($"artifact must be at most {InputValidator.MaxArtifactLength} characters of JSON", "input", "artifact");
        }
        var error = input.GetValueOrDefault("error") as string;
        if (error is { Length: > MaxReasonLength })
        {
            throw ServiceException.BadInput($"error must be at most {MaxReasonLength} characters", "input", "error");
        }
        return new TrainingCompletion(input.GetValueOrDefault("token") as string, (bool)input["succeeded"]!, version, metrics, artifact, error);
    }

    private static ITrainingJobStore Jobs(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ITrainingJobStore>();

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
