using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Alerts;

public sealed class AlertGraphType : ObjectGraphType<Alert>
{
    public AlertGraphType()
    {
        Name = "Alert";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<StringGraphType>>("modelType").Resolve(c => c.Source.ModelType);
        Field<NonNullGraphType<AlertTypeGraphType>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<SeverityGraphType>>("severity").Resolve(c => c.Source.Severity);
        Field<NonNullGraphType<AlertStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(c => c.Source.Message);
        Field<JsonGraphType>("details").Resolve(c => JsonGraphType.FromText(c.Source.DetailsJson));
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("lastSeenAt").Resolve(c => c.Source.LastSeenAt);
        Field<NonNullGraphType<IntGraphType>>("occurrences")
            .Description("How often the same condition was seen while this alert stayed open.")
            .Resolve(c => c.Source.Occurrences);
        Field<UtcDateTimeGraphType>("acknowledgedAt").Resolve(c => c.Source.AcknowledgedAt);
        Field<UtcDateTimeGraphType>("resolvedAt").Resolve(c => c.Source.ResolvedAt);
        Field<StringGraphType>("resolvedBy")
            .Description("Who resolved it: a caller's name, or `system` when the condition cleared.")
            .Resolve(c => c.Source.ResolvedBy);
        Field<StringGraphType>("resolutionNote").Resolve(c => c.Source.ResolutionNote);
        Field<StringGraphType>("autoAction")
            .Description("What the service did on its own, e.g. `retrain:<trainingJobId>`.")
            .Resolve(c => c.Source.AutoAction);
    }
}
