using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;

namespace ModelPerformance.GraphQL.Dashboard;

public sealed record FleetSummary(int Monitors, int Ok, int Warning, int Critical, int Unknown, int OpenAlerts, int CriticalAlerts);

public sealed record MonitorTrend(string ModelId, string MachineId, IReadOnlyList<TrendPoint> Points);

/// <summary>
/// The dashboard's queries (SEMANTICS.md, Dashboard queries): fleet counts from the registry and the alert table, and
/// one metric's trend for several monitors. Neither wakes a monitor's grain.
/// </summary>
public sealed class DashboardService(IMonitorHistory history, IAlertStore alerts)
{
    public const int MaxComparedMonitors = 50;

    public async Task<FleetSummary> SummaryAsync(string? modelType, string? machineId, CancellationToken cancellationToken)
    {
        var counts = await history.CountByHealthAsync(new MonitorFilter(ModelType: modelType, MachineId: machineId), cancellationToken);
        var (open, critical) = await alerts.CountUnresolvedAsync(new AlertFilter(MachineId: machineId, ModelType: modelType), cancellationToken);
        return new FleetSummary(counts.Total, counts.Ok, counts.Warning, counts.Critical, counts.Unknown, open, critical);
    }

    /// <summary>The monitors of modelId, of modelType, or on the named machines (the filters given all hold), ordered by modelId then machineId.</summary>
    public async Task<IReadOnlyList<MonitorTrend>> CompareAsync(Metric metric, string? modelId, string? modelType, IReadOnlyList<string>? machineIds,
        DateTime? from, DateTime? to, Bucket bucket, CancellationToken cancellationToken)
    {
        if (machineIds is { Count: 0 })
        {
            machineIds = null;
        }
        if (modelId is null && modelType is null && machineIds is null)
        {
            throw ServiceException.BadInput("compare needs a modelId, a modelType or machineIds", "modelId");
        }
        foreach (var (id, i) in (machineIds ?? []).Select((id, i) => (id, i)))
        {
            if (!MonitorKey.IsValidId(id))
            {
                throw ServiceException.BadInput($"machineIds[{i}] '{id}' is not a valid id", "machineIds", i);
            }
        }
        InputValidator.Range(from, to);
        var page = await history.ListMonitorsAsync(new MonitorFilter(ModelType: modelType, ModelId: modelId, MachineIds: machineIds),
            MonitorOrder.Id, MaxComparedMonitors, null, cancellationToken);
        if (page.HasNextPage)
        {
            throw ServiceException.BadInput($"compare takes at most {MaxComparedMonitors} monitors; these filters match {page.TotalCount}",
                machineIds is not null ? "machineIds" : modelId is not null ? "modelId" : "modelType");
        }
        var trends = await Task.WhenAll(page.Monitors.Select(async m =>
            new MonitorTrend(m.Key.ModelId, m.Key.MachineId, await history.GetTrendAsync(m.Key, metric, from, to, bucket, cancellationToken))));
        return trends;
    }
}
