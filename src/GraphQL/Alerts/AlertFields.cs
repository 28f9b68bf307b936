using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Alerts;

/// <summary>
/// The alerts' root fields: queries read the alert store; acknowledging and resolving go through the
/// monitor grain that owns the alert, so its open alerts and health change with it.
/// </summary>
public static class AlertFields
{
    public const int MaxAlertsPerQuery = 1000;
    public const int MaxNoteLength = 2000;

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
            .ResolveAsync(async c =>
            {
                var filter = new AlertFilter(
                    c.GetArgument<AlertStatus?>("status"),
                    c.GetArgument<Severity?>("severity"),
                    c.GetArgument<AlertType?>("type"),
                    OptionalId(c.GetArgument<string?>("machineId"), "machineId"),
                    OptionalModelType(c.GetArgument<string?>("modelType")),
                    OptionalId(c.GetArgument<string?>("modelId"), "modelId"));
                var first = c.GetArgument("first", 100);
                if (first is < 1 or > MaxAlertsPerQuery)
                {
                    throw ServiceException.BadInput($"first must be between 1 and {MaxAlertsPerQuery}.", "first");
                }
                return await Store(c).QueryAsync(filter, first, c.CancellationToken);
            });

        query.Field<AlertGraphType>("alert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Store(c).GetAsync(AlertId(c), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AlertGraphType>>("acknowledgeAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var alert = await FindAsync(c);
                return await Owner(c, alert).AcknowledgeAlertAsync(alert.Id);
            });

        mutation.Field<NonNullGraphType<AlertGraphType>>("resolveAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c =>
            {
                var note = c.GetArgument<string?>("note");
                if (note is { Length: > MaxNoteLength })
                {
                    throw ServiceException.BadInput($"note must be at most {MaxNoteLength} characters.", "note");
                }
                var resolvedBy = CallerContext.Of(c).Name;
                var alert = await FindAsync(c);
                return await Owner(c, alert).ResolveAlertAsync(alert.Id, resolvedBy, note);
            });
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

    private static async Task<Alert> FindAsync(IResolveFieldContext c)
    {
        var id = AlertId(c);
        return await Store(c).GetAsync(id, c.CancellationToken) ?? throw ServiceException.NotFound($"no alert {id}", "id");
    }

    private static IModelMonitorGrain Owner(IResolveFieldContext c, Alert alert) =>
        c.RequestServices!.GetRequiredService<MonitorGateway>().Grain(new MonitorKey(alert.ModelId, alert.MachineId));

    private static Guid AlertId(IResolveFieldContext c) =>
        Guid.TryParse(c.GetArgument<string>("id"), out var id) ? id : throw ServiceException.BadInput("id must be an alert id (a UUID).", "id");

    private static string? OptionalId(string? id, string name) =>
        id is null || MonitorKey.IsValidId(id) ? id : throw ServiceException.BadInput($"{name} must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", name);

    private static string? OptionalModelType(string? modelType) =>
        modelType is null or { Length: >= 1 and <= InputValidator.MaxTextLength } ? modelType
            : throw ServiceException.BadInput($"modelType must be 1 to {InputValidator.MaxTextLength} characters.", "modelType");

    private static IAlertStore Store(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IAlertStore>();

    private static Func<Alert, bool> AlertFilter(IResolveFieldContext c)
    {
        var machineId = c.GetArgument<string?>("machineId");
        var modelType = c.GetArgument<string?>("modelType");
        var modelId = c.GetArgument<string?>("modelId");
        return a => EventStreams.Matches(machineId, a.MachineId) && EventStreams.Matches(modelType, a.ModelType) && EventStreams.Matches(modelId, a.ModelId);
    }
}
