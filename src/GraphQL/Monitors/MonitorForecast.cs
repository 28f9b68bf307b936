using GraphQL.Types;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>One metric's forecast, as the contract's <c>MetricForecast</c>.</summary>
public sealed record MetricForecast(Metric Metric, ForecastLine Line, int HorizonHours);

/// <summary>
/// <c>Monitor.forecast</c> (SEMANTICS.md, forecast): for each metric with a baseline, the Theil-Sen line over the
/// champion's evaluations of the last 7 days (at most the latest 10,000), read from the history, not the grain.
/// </summary>
public static class MonitorForecast
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);
    public const int MaxEvaluations = 10_000;
    public const int MaxHorizonHours = 8_760;

    public static async Task<IReadOnlyList<MetricForecast>> ForAsync(MonitorSnapshot monitor, int horizonHours, IMonitorHistory history, DateTime now, CancellationToken cancellationToken)
    {
        if (horizonHours is < 1 or > MaxHorizonHours)
        {
            throw ServiceException.BadInput($"horizonHours must be between 1 and {MaxHorizonHours}", "horizonHours");
        }
        if (monitor.Baseline is not { } baseline)
        {
            return [];
        }
        var key = new MonitorKey(monitor.ModelId, monitor.MachineId);
        var evaluations = await history.GetChampionEvaluationsAsync(key, monitor.ActiveVersion, now - Lookback, MaxEvaluations, cancellationToken);
        if (evaluations.Count < DegradationForecast.MinEvaluations)
        {
            return [];
        }
        var forecasts = new List<MetricForecast>();
        foreach (var metric in Enum.GetValues<Metric>())
        {
            if (baseline.Get(metric) is not { } level)
            {
                continue;
            }
            var points = evaluations.Where(e => e.Metrics.Get(metric).HasValue).Select(e => (e.EvaluatedAt, e.Metrics.Get(metric)!.Value)).ToList();
            var line = DegradationForecast.Fit(points, (MetricKind)(int)metric, level,
                monitor.Config.WarningDegradation, monitor.Config.CriticalDegradation, now, horizonHours);
            if (line is not null)
            {
                forecasts.Add(new MetricForecast(metric, line, horizonHours));
            }
        }
        return forecasts;
    }
}

public sealed class MetricForecastGraphType : ObjectGraphType<MetricForecast>
{
    public MetricForecastGraphType()
    {
        Name = "MetricForecast";
        Field<NonNullGraphType<MetricGraphType>>("metric").Resolve(c => c.Source.Metric);
        Field<NonNullGraphType<FloatGraphType>>("slopePerDay")
            .Description("Theil-Sen slope of the metric over the active version's recent evaluations, per day.")
            .Resolve(c => c.Source.Line.SlopePerDay);
        Field<NonNullGraphType<FloatGraphType>>("now").Description("The fitted line's value now and at the horizon.").Resolve(c => c.Source.Line.Now);
        Field<NonNullGraphType<FloatGraphType>>("projected").Resolve(c => c.Source.Line.Projected);
        Field<NonNullGraphType<IntGraphType>>("horizonHours").Resolve(c => c.Source.HorizonHours);
        Field<UtcDateTimeGraphType>("warningAt")
            .Description("When the fitted line reaches the WARNING and the CRITICAL level against the baseline; null if it does not (within 365 days) or there is no baseline.")
            .Resolve(c => c.Source.Line.WarningAt);
        Field<UtcDateTimeGraphType>("criticalAt").Resolve(c => c.Source.Line.CriticalAt);
        Field<NonNullGraphType<IntGraphType>>("evaluations").Resolve(c => c.Source.Line.Evaluations);
    }
}
