using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Alerts;

/// <summary>The alerts' root fields. Alerts come with their own issue: until then there are none to find or change.</summary>
public static class AlertFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertGraphType>>>>("alerts")
            .Argument<AlertStatusGraphType>("status")
            .Argument<SeverityGraphType>("severity")
            .Argument<AlertTypeGraphType>("type")
            .Argument<IdGraphType>("machineId")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("modelId")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Resolve(_ => Array.Empty<Alert>());

        query.Field<AlertGraphType>("alert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => null);
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AlertGraphType>>("acknowledgeAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(_ => throw NotAvailable.Error("acknowledgeAlert"));

        mutation.Field<NonNullGraphType<AlertGraphType>>("resolveAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("note")
            .Resolve(_ => throw NotAvailable.Error("resolveAlert"));
    }

    public static void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<AlertGraphType>>("alertRaised")
            .Description("New alerts, and open alerts whose severity rose.")
            .Argument<IdGraphType>("machineId")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("modelId")
            .Argument<SeverityGraphType>("minSeverity", a => a.DefaultValue = Severity.Info)
            .ResolveStream(_ => throw NotAvailable.Error("alertRaised"));

        subscription.Field<NonNullGraphType<AlertGraphType>>("alertChanged")
            .Description("Acknowledged and resolved alerts.")
            .Argument<IdGraphType>("machineId")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("modelId")
            .ResolveStream(_ => throw NotAvailable.Error("alertChanged"));
    }
}
