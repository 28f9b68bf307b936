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

public sealed class MonitorGraphType : ObjectGraphType<MonitorSnapshot>
{
    public MonitorGraphType()
    {
        Name = "Monitor";
        Description = "The performance monitor of one model on one machine.";
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<StringGraphType>>("modelType").Resolve(c => c.Source.ModelType);
        Field<ModelTaskGraphType>("task").Description("Null until the first data fixes it.").Resolve(c => c.Source.Task);
        Field<StringGraphType>("activeVersion").Resolve(c => c.Source.ActiveVersion);
        Field<NonNullGraphType<IntGraphType>>("evaluationCount")
            .Description("Evaluations recorded: given ones, and one per prediction batch with actuals.")
            .Resolve(c => Saturate(c.Source.EvaluationCount));
        Field<NonNullGraphType<IntGraphType>>("sampleCount")
            .Description("Prediction samples recorded, of every version.")
            .Resolve(c => Saturate(c.Source.SampleCount));
        Field<UtcDateTimeGraphType>("lastEvaluatedAt").Resolve(c => c.Source.LastEvaluatedAt);
        Field<EvaluationGraphType>("latest").Resolve(c => c.Source.Latest);
        Field<NonNullGraphType<MetricSetGraphType>>("current")
            .Description("Metrics over the rolling current window of samples (or of recorded evaluations, weighted by their sample counts).")
            .Resolve(c => c.Source.Current);
        Field<MetricSetGraphType>("baseline").Resolve(c => c.Source.Baseline);
        Field<NonNullGraphType<HealthStatusGraphType>>("health").Resolve(c => c.Source.Health);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricDegradationGraphType>>>>("degradation").Resolve(c => c.Source.Degradation);
        Field<DriftReportGraphType>("drift").Description("The last drift check, or null before the first.").Resolve(c => c.Source.Drift);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertGraphType>>>>("alerts")
            .Argument<AlertStatusGraphType>("status")
            .ResolveAsync(async c =>
            {
                // The newest ones, as many as one alerts query returns: a monitor's history of resolved alerts only grows.
                var store = c.RequestServices!.GetRequiredService<IAlertStore>();
                var filter = new AlertFilter(c.GetArgument<AlertStatus?>("status"), MachineId: c.Source.MachineId, ModelId: c.Source.ModelId);
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
                var key = new MonitorKey(c.Source.ModelId, c.Source.MachineId);
                return await history.GetTrendAsync(key, c.GetArgument<Metric>("metric"), from, to, c.GetArgument("bucket", Bucket.Hour), c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModelVersionGraphType>>>>("versions")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IVersionStore>()
                .ListAsync(new MonitorKey(c.Source.ModelId, c.Source.MachineId), c.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingJobGraphType>>>>("trainingJobs")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<ITrainingJobStore>().QueryAsync(
                new TrainingJobFilter(c.Source.ModelId, c.Source.MachineId), InputValidator.First(c.GetArgument<int?>("first"), 20, TrainingFields.MaxJobsPerQuery), c.CancellationToken));
        Field<NonNullGraphType<MonitorConfigGraphType>>("config").Resolve(c => c.Source.Config);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricForecastGraphType>>>>("forecast")
            .Description("Where each metric with a baseline is heading; empty with fewer than 10 evaluations of the active version in the last 7 days.")
            .Argument<IntGraphType>("horizonHours", a => a.DefaultValue = 24)
            .ResolveAsync(async c => await MonitorForecast.ForAsync(c.Source, c.GetArgument("horizonHours", 24),
                c.RequestServices!.GetRequiredService<IMonitorHistory>(),
                c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, c.CancellationToken));
    }

    private static int Saturate(long count) => (int)Math.Min(count, int.MaxValue);
}

public sealed record MonitorEdge(string Cursor, MonitorSnapshot Node);

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
