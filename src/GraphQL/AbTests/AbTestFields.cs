using GraphQL;
using GraphQL.Types;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.AbTests;

/// <summary>A/B tests' root fields. They come with their own issue: until then there are no tests to find or start.</summary>
public static class AbTestFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<AbTestGraphType>("abTest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => null);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AbTestGraphType>>>>("abTests")
            .Argument<AbTestStatusGraphType>("status")
            .Argument<IdGraphType>("modelId")
            .Argument<IdGraphType>("machineId")
            .Resolve(_ => Array.Empty<AbTest>());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AbTestGraphType>>("startAbTest")
            .Argument<NonNullGraphType<StartAbTestInputGraphType>>("input")
            .Resolve(_ => throw NotAvailable.Error("startAbTest"));

        mutation.Field<NonNullGraphType<AbAssignmentGraphType>>("assignAbArm")
            .Argument<NonNullGraphType<IdGraphType>>("testId")
            .Argument<NonNullGraphType<StringGraphType>>("unitKey")
            .Resolve(_ => throw NotAvailable.Error("assignAbArm"));

        mutation.Field<NonNullGraphType<AbTestGraphType>>("recordAbOutcomes")
            .Argument<NonNullGraphType<IdGraphType>>("testId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<AbOutcomeInputGraphType>>>>("outcomes")
            .Resolve(_ => throw NotAvailable.Error("recordAbOutcomes"));

        mutation.Field<NonNullGraphType<AbTestGraphType>>("stopAbTest")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => throw NotAvailable.Error("stopAbTest"));
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
}
