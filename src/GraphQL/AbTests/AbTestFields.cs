using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.AbTests;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.AbTests;

/// <summary>A/B tests' root fields, thin over <see cref="AbTestService"/>.</summary>
public static class AbTestFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<AbTestGraphType>("abTest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Service(c).GetAsync(c.GetArgument<string>("id")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AbTestGraphType>>>>("abTests")
            .Argument<AbTestStatusGraphType>("status")
            .Argument<IdGraphType>("modelId")
            .Argument<IdGraphType>("machineId")
            .ResolveAsync(async c => await Service(c).ListAsync(
                new AbTestFilter(c.GetArgument<AbTestStatus?>("status"), c.GetArgument<string?>("modelId"), c.GetArgument<string?>("machineId")),
                c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AbTestGraphType>>("startAbTest")
            .Argument<NonNullGraphType<StartAbTestInputGraphType>>("input")
            .ResolveAsync(async c => await Service(c).StartAsync(c.GetArgument<Dictionary<string, object?>>("input")));

        mutation.Field<NonNullGraphType<AbAssignmentGraphType>>("assignAbArm")
            .Argument<NonNullGraphType<IdGraphType>>("testId")
            .Argument<NonNullGraphType<StringGraphType>>("unitKey")
            .ResolveAsync(async c => await Service(c).AssignAsync(c.GetArgument<string>("testId"), c.GetArgument<string>("unitKey")));

        mutation.Field<NonNullGraphType<AbTestGraphType>>("recordAbOutcomes")
            .Argument<NonNullGraphType<IdGraphType>>("testId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<AbOutcomeInputGraphType>>>>("outcomes")
            .ResolveAsync(async c => await Service(c).RecordOutcomesAsync(c.GetArgument<string>("testId"), c.GetArgument<List<object?>>("outcomes")));

        mutation.Field<NonNullGraphType<AbTestGraphType>>("stopAbTest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Service(c).StopAsync(c.GetArgument<string>("id")));
    }

    public static void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<AbTestGraphType>>("abTestUpdated")
            .Argument<IdGraphType>("id")
            .Argument<IdGraphType>("modelId")
            .ResolveStream(c =>
            {
                var id = c.GetArgument<string?>("id");
                Guid? testId = id is null ? null
                    : Guid.TryParse(id, out var parsed) ? parsed
                    : throw ServiceException.BadInput($"id '{id}' is not an A/B test id (a UUID)", "id");
                var modelId = c.GetArgument<string?>("modelId");
                return EventStreams.Of<AbTestUpdated>(c,
                    e => (testId is null || e.Test.Id == testId) && EventStreams.Matches(modelId, e.Test.ModelId),
                    e => e.Test);
            });
    }

    private static AbTestService Service(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<AbTestService>();
}
