using GraphQL;
using GraphQL.Types;
using ModelPerformance.Grains.Events;
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
            .ResolveStream(c =>
            {
                var filter = AlertFilter(c);
                var minSeverity = c.GetArgument("minSeverity", Severity.Info);
                return EventStreams.Of<AlertRaised>(c, e => filter(e.Alert) && e.Alert.Severity >= minSeverity, e => e.Alert);
            });

        subscription.Field<NonNullGraphType<AlertGraphType>>("alertChanged")
            .Description("Acknowledged and resolved alerts.")
            .Argument<IdGraphType>("machineId")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("modelId")
            .ResolveStream(c =>
            {
                var filter = AlertFilter(c);
                return EventStreams.Of<AlertChanged>(c, e => filter(e.Alert), e => e.Alert);
            });
    }

    private static Func<Alert, bool> AlertFilter(IResolveFieldContext c)
    {
        var machineId = c.GetArgument<string?>("machineId");
        var modelType = c.GetArgument<string?>("modelType");
        var modelId = c.GetArgument<string?>("modelId");
        return a => EventStreams.Matches(machineId, a.MachineId) && EventStreams.Matches(modelType, a.ModelType) && EventStreams.Matches(modelId, a.ModelId);
    }
}
