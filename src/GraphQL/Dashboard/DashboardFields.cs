using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Dashboard;

/// <summary>The dashboard extension's root fields (contract/extensions/dashboard.graphql).</summary>
public static class DashboardFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<FleetSummaryGraphType>>("fleetSummary")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("machineId")
            .ResolveAsync(async c => await Service(c).SummaryAsync(c.GetArgument<string?>("modelType"), c.GetArgument<string?>("machineId"), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MonitorTrendGraphType>>>>("compare")
            .Description("One metric's trend for several monitors, for side-by-side comparison: the monitors of modelId, or of modelType, or those named; at most 50.")
            .Argument<NonNullGraphType<MetricGraphType>>("metric")
            .Argument<IdGraphType>("modelId")
            .Argument<StringGraphType>("modelType")
            .Argument<ListGraphType<NonNullGraphType<IdGraphType>>>("machineIds")
            .Argument<UtcDateTimeGraphType>("from")
            .Argument<UtcDateTimeGraphType>("to")
            .Argument<BucketGraphType>("bucket", a => a.DefaultValue = Bucket.Day)
            .ResolveAsync(async c => await Service(c).CompareAsync(c.GetArgument<Metric>("metric"), c.GetArgument<string?>("modelId"),
                c.GetArgument<string?>("modelType"), c.GetArgument<List<string>?>("machineIds"), c.GetArgument<DateTime?>("from"),
                c.GetArgument<DateTime?>("to"), c.GetArgument("bucket", Bucket.Day), c.CancellationToken));
    }

    private static DashboardService Service(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<DashboardService>();
}

public sealed class FleetSummaryGraphType : ObjectGraphType<FleetSummary>
{
    public FleetSummaryGraphType()
    {
        Name = "FleetSummary";
        Field<NonNullGraphType<IntGraphType>>("monitors").Resolve(c => c.Source.Monitors);
        Field<NonNullGraphType<IntGraphType>>("ok").Resolve(c => c.Source.Ok);
        Field<NonNullGraphType<IntGraphType>>("warning").Resolve(c => c.Source.Warning);
        Field<NonNullGraphType<IntGraphType>>("critical").Resolve(c => c.Source.Critical);
        Field<NonNullGraphType<IntGraphType>>("unknown").Resolve(c => c.Source.Unknown);
        Field<NonNullGraphType<IntGraphType>>("openAlerts").Description("Alerts that are OPEN or ACKNOWLEDGED, and those of them that are CRITICAL.").Resolve(c => c.Source.OpenAlerts);
        Field<NonNullGraphType<IntGraphType>>("criticalAlerts").Resolve(c => c.Source.CriticalAlerts);
    }
}

public sealed class MonitorTrendGraphType : ObjectGraphType<MonitorTrend>
{
    public MonitorTrendGraphType()
    {
        Name = "MonitorTrend";
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrendPointGraphType>>>>("points").Resolve(c => c.Source.Points);
    }
}
