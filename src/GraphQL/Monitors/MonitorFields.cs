using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Alerts;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>The monitors' root fields: queries and mutations, added to the schema's root types.</summary>
public static class MonitorFields
{
    private const int MaxMonitorsPerPage = 500;
    private const int MaxEvaluationsPerQuery = 10_000;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<MonitorGraphType>("monitor")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .ResolveAsync(async c => await Gateway(c).GetAsync(InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"))));

        query.Field<NonNullGraphType<MonitorConnectionGraphType>>("monitors")
            .Description("Monitors from the registry; fields beyond identity, health, latest evaluation and alerts read each monitor's state.")
            .Argument<StringGraphType>("modelType")
            .Argument<IdGraphType>("machineId")
            .Argument<HealthStatusGraphType>("health")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .Argument<IdGraphType>("modelId")
            .Argument<StringGraphType>("search", a => a.Description = "A part of the modelId or machineId, ignoring case.")
            .Argument<MonitorOrderGraphType>("orderBy", a => a.DefaultValue = MonitorOrder.Id)
            .ResolveAsync(async c =>
            {
                var first = InputValidator.First(c.GetArgument<int?>("first"), 50, MaxMonitorsPerPage);
                var filter = new MonitorFilter(c.GetArgument<string?>("modelType"), c.GetArgument<string?>("machineId"), c.GetArgument<HealthStatus?>("health"),
                    c.GetArgument<string?>("modelId"), InputValidator.Search(c.GetArgument<string?>("search")));
                var order = c.GetArgument("orderBy", MonitorOrder.Id);
                var page = await History(c).ListMonitorsAsync(filter, order, first, c.GetArgument<string?>("after"), c.CancellationToken);
                var alerts = new MonitorPageAlerts(c.RequestServices!.GetRequiredService<IAlertStore>(), page.Monitors.Select(m => m.Key).ToList(), AlertFields.MaxAlertsPerQuery);
                var edges = page.Monitors
                    .Select(m => new MonitorEdge(MonitorCursor.Encode(m, order), MonitorView.Of(m, Gateway(c), alerts)))
                    .ToList();
                return (object)new MonitorConnection(edges, page.HasNextPage, page.EndCursor, page.TotalCount);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EvaluationGraphType>>>>("evaluations")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<UtcDateTimeGraphType>("from")
            .Argument<UtcDateTimeGraphType>("to")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                var from = c.GetArgument<DateTime?>("from");
                var to = c.GetArgument<DateTime?>("to");
                InputValidator.Range(from, to);
                var first = InputValidator.First(c.GetArgument<int?>("first"), 100, MaxEvaluationsPerQuery);
                return await History(c).GetEvaluationsAsync(key, from, to, first, c.CancellationToken);
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<EvaluationGraphType>>("recordEvaluation")
            .Argument<NonNullGraphType<RecordEvaluationInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = InputValidator.Evaluation(c.GetArgument<Dictionary<string, object?>>("input"), Now(c), "input");
                var result = await Gateway(c).RecordEvaluationsAsync([input], "input");
                return result.Evaluations[0];
            });

        mutation.Field<NonNullGraphType<RecordBatchResultGraphType>>("recordEvaluations")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<RecordEvaluationInputGraphType>>>>("inputs")
            .ResolveAsync(async c =>
            {
                var inputs = PreReadVariables.TryGet<EvaluationFields[]>(c, "inputs", out var read)
                    ? InputValidator.Evaluations(read, Now(c))
                    : InputValidator.Evaluations(c.GetArgument<List<object?>>("inputs"), Now(c));
                return await Gateway(c).RecordEvaluationsAsync(inputs, "inputs");
            });

        mutation.Field<NonNullGraphType<PredictionBatchResultGraphType>>("recordPredictions")
            .Argument<NonNullGraphType<RecordPredictionsInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var (key, batch) = InputValidator.Predictions(c.GetArgument<Dictionary<string, object?>>("input"), Now(c), "input");
                return await ArgumentPath.Under("input", () => Gateway(c).Grain(key).RecordPredictionsAsync(batch));
            });

        mutation.Field<NonNullGraphType<MonitorGraphType>>("configureMonitor")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<NonNullGraphType<MonitorConfigInputGraphType>>("config")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                var patch = InputValidator.Config(c.GetArgument<Dictionary<string, object?>>("config"), "config");
                return await ArgumentPath.Under("config", () => Gateway(c).Grain(key).ConfigureAsync(null, patch));
            });

        mutation.Field<NonNullGraphType<MonitorGraphType>>("setBaseline")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .Argument<NonNullGraphType<MetricSetInputGraphType>>("metrics")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                var metrics = InputValidator.Metrics(c.GetArgument<Dictionary<string, object?>>("metrics"), "metrics");
                return await Gateway(c).Grain(key).SetBaselineAsync(metrics);
            });

        mutation.Field<NonNullGraphType<MonitorGraphType>>("resetReference")
            .Description("Freeze the next referenceSize samples as the new drift reference.")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                // The grain answers NOT_FOUND for a monitor nothing created.
                return await Gateway(c).Grain(key).ResetReferenceAsync();
            });

        mutation.Field<NonNullGraphType<DriftReportGraphType>>("checkDrift")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .ResolveAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                return await Gateway(c).Grain(key).CheckDriftAsync();
            });
    }

    public static void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<EvaluationGraphType>>("evaluationRecorded")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<IdGraphType>>("machineId")
            .ResolveStreamAsync(async c =>
            {
                var key = InputValidator.Key(c.GetArgument<string>("modelId"), c.GetArgument<string>("machineId"));
                var watches = c.RequestServices!.GetRequiredService<EvaluationWatches>();
                await watches.LeaseAsync(key);
                return EventStreams.Of<EvaluationRecorded>(c,
                    e => e.Evaluation.ModelId == key.ModelId && e.Evaluation.MachineId == key.MachineId,
                    e => e.Evaluation,
                    () => watches.Track(key));
            });
    }

    private static MonitorGateway Gateway(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<MonitorGateway>();

    /// <summary>The service's one clock, which tests may replace.</summary>
    private static DateTime Now(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    private static IMonitorHistory History(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMonitorHistory>();
}
