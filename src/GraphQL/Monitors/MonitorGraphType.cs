using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Registry;
using ModelPerformance.Grains.Training;
using ModelPerformance.GraphQL.Alerts;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Training;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// A monitor. The fields a fleet needs (identity, type, task, version, health, latest evaluation, alerts) come from the
/// registry when the object is a page's listing; the rest from the grain's snapshot, fetched once, when asked for.
/// </summary>
public sealed class MonitorGraphType : ObjectGraphType<object>
{
    public MonitorGraphType()
    {
        Name = "Monitor";
        Description = "The performance monitor of one model on one machine.";
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => View(c).Key.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => View(c).Key.MachineId);
        Field<NonNullGraphType<StringGraphType>>("modelType").ResolveAsync(async c => View(c).Listing?.ModelType ?? (await Snapshot(c)).ModelType);
        Field<ModelTaskGraphType>("task").Description("Null until the first data fixes it.")
            .ResolveAsync(async c => View(c).Listing is { } l ? l.Task : (await Snapshot(c)).Task);
        Field<StringGraphType>("activeVersion").ResolveAsync(async c => View(c).Listing is { } l ? l.ActiveVersion : (await Snapshot(c)).ActiveVersion);
        Field<NonNullGraphType<IntGraphType>>("evaluationCount")
            .Description("Evaluations recorded: given ones, and one per prediction batch with actuals.")
            .ResolveAsync(async c => Saturate((await Snapshot(c)).EvaluationCount));
        Field<NonNullGraphType<IntGraphType>>("sampleCount")
            .Description("Prediction samples recorded, of every version.")
            .ResolveAsync(async c => Saturate((await Snapshot(c)).SampleCount));
        Field<UtcDateTimeGraphType>("lastEvaluatedAt")
            .ResolveAsync(async c => View(c).Listing is { } l ? l.Latest?.EvaluatedAt : (await Snapshot(c)).LastEvaluatedAt);
        Field<EvaluationGraphType>("latest").ResolveAsync(async c => View(c).Listing is { } l ? l.Latest : (await Snapshot(c)).Latest);
        Field<NonNullGraphType<MetricSetGraphType>>("current")
            .Description("Metrics over the rolling current window of samples (or of recorded evaluations, weighted by their sample counts).")
            .ResolveAsync(async c => (await Snapshot(c)).Current);
        Field<MetricSetGraphType>("baseline").ResolveAsync(async c => (await Snapshot(c)).Baseline);
        Field<NonNullGraphType<HealthStatusGraphType>>("health").ResolveAsync(async c => View(c).Listing is { } l ? l.Health : (await Snapshot(c)).Health);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricDegradationGraphType>>>>("degradation").ResolveAsync(async c => (await Snapshot(c)).Degradation);
        Field<DriftReportGraphType>("drift").Description("The last drift check, or null before the first.").ResolveAsync(async c => (await Snapshot(c)).Drift);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertGraphType>>>>("alerts")
            .Argument<AlertStatusGraphType>("status")
            .ResolveAsync(async c =>
            {
                // The newest ones, as many as one alerts query returns: a monitor's history of resolved alerts only grows.
                var view = View(c);
                var status = c.GetArgument<AlertStatus?>("status");
                if (view.PageAlerts is { } page)
                {
                    return await page.ForAsync(view.Key, status, c.CancellationToken);
                }
                var store = c.RequestServices!.GetRequiredService<IAlertStore>();
                var filter = new AlertFilter(status, MachineId: view.Key.MachineId, ModelId: view.Key.ModelId);
                return await store.QueryAsync(filter, AlertFields.MaxAlertsPerQuery, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrendPointGraphType>>>>("trend")
            .Argument<NonNullGraphType<MetricGraphType>>("metric")
            .Argument<UtcDateTimeGraphType>("from")
            .Argument<UtcDateTimeGraphType>("to")
            .Argument<BucketGraphType>("bucket", a => a.DefaultValue = Bucket.Hour)
            .ResolveAsync(async c =>
            {
                var from = c.GetArgument<DateTime?>("from");
                var to = c.GetArgument<DateTime?>("to");
                InputValidator.Range(from, to);
                var history = c.RequestServices!.GetRequiredService<IMonitorHistory>();
                return await history.GetTrendAsync(View(c).Key, c.GetArgument<Metric>("metric"), from, to, c.GetArgument("bucket", Bucket.Hour), c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelVersionGraphType>>>>("versions")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IVersionStore>().ListAsync(View(c).Key, c.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingJobGraphType>>>>("trainingJobs")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<ITrainingJobStore>().QueryAsync(
                new TrainingJobFilter(View(c).Key.ModelId, View(c).Key.MachineId), InputValidator.First(c.GetArgument<int?>("first"), 20, TrainingFields.MaxJobsPerQuery), c.CancellationToken));
        Field<NonNullGraphType<MonitorConfigGraphType>>("config").ResolveAsync(async c => (await Snapshot(c)).Config);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricForecastGraphType>>>>("forecast")
            .Description("Where each metric with a baseline is heading; empty with fewer than 10 evaluations of the active version in the last 7 days.")
            .Argument<IntGraphType>("horizonHours", a => a.DefaultValue = 24)
            .ResolveAsync(async c => await MonitorForecast.ForAsync(await Snapshot(c), c.GetArgument("horizonHours", 24),
                c.RequestServices!.GetRequiredService<IMonitorHistory>(),
                c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, c.CancellationToken));
    }

    private static MonitorView View(IResolveFieldContext<object> c) => MonitorView.From(c.Source);

    private static Task<MonitorSnapshot> Snapshot(IResolveFieldContext<object> c) => View(c).SnapshotAsync();

    private static int Saturate(long count) => (int)Math.Min(count, int.MaxValue);
}

public sealed record MonitorEdge(string Cursor, MonitorView Node);

public sealed record MonitorConnection(IReadOnlyList<MonitorEdge> Edges, bool HasNextPage, string? EndCursor, int TotalCount);

public sealed class MonitorEdgeGraphType : ObjectGraphType<MonitorEdge>
{
    public MonitorEdgeGraphType()
    {
        Name = "MonitorEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<MonitorGraphType>>("node").Resolve(c => c.Source.Node);
    }
}

public sealed class PageInfoGraphType : ObjectGraphType<MonitorConnection>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.EndCursor);
    }
}

public sealed class MonitorConnectionGraphType : ObjectGraphType<MonitorConnection>
{
    public MonitorConnectionGraphType()
    {
        Name = "MonitorConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MonitorEdgeGraphType>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(c => c.Source);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Resolve(c => c.Source.TotalCount);
    }
}
