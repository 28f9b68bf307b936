using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;

namespace ModelPerformance.Grains.Alerts;

/// <summary>The alerts of a lone silo without a database: the same behaviour as PostgreSQL, kept in memory.</summary>
public sealed class InMemoryAlertStore(InMemoryNotificationStore outbox) : IAlertStore
{
    private readonly ConcurrentDictionary<Guid, Alert> alerts = new();

    public Task SaveAsync(Alert alert, NotificationEvent? notification = null, CancellationToken cancellationToken = default)
    {
        outbox.Save(alert, notification, () => alerts[alert.Id] = alert);
        return Task.CompletedTask;
    }

    public Task<Alert?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(alerts.GetValueOrDefault(id));

    public Task<IReadOnlyList<Alert>> QueryAsync(AlertFilter filter, int first, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Alert> result = alerts.Values
            .Where(a => Matches(filter, a))
            .OrderByDescending(a => a.CreatedAt)
            // PostgreSQL orders uuids by their bytes, which is the ordinal order of their lower-case text.
            .ThenByDescending(a => a.Id.ToString(), StringComparer.Ordinal)
            .Take(first)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>>> QueryByMonitorAsync(IReadOnlyCollection<MonitorKey> monitors, AlertStatus? status,
        int firstPerMonitor, CancellationToken cancellationToken = default)
    {
        var wanted = monitors.ToHashSet();
        IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>> result = alerts.Values
            .Where(a => (status is null || a.Status == status) && wanted.Contains(new MonitorKey(a.ModelId, a.MachineId)))
            .GroupBy(a => new MonitorKey(a.ModelId, a.MachineId))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Alert>)g
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id.ToString(), StringComparer.Ordinal).Take(firstPerMonitor).ToList());
        return Task.FromResult(result);
    }

    public Task<(int Unresolved, int Critical)> CountUnresolvedAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        var unresolved = alerts.Values.Where(a => a.Status != AlertStatus.Resolved && Matches(filter with { Status = null }, a)).ToList();
        return Task.FromResult((unresolved.Count, unresolved.Count(a => a.Severity == Severity.Critical)));
    }

    private static bool Matches(AlertFilter filter, Alert alert) =>
        (filter.Status is null || alert.Status == filter.Status)
        && (filter.Severity is null || alert.Severity == filter.Severity)
        && (filter.Type is null || alert.Type == filter.Type)
        && (filter.MachineId is null || alert.MachineId == filter.MachineId)
        && (filter.ModelType is null || alert.ModelType == filter.ModelType)
        && (filter.ModelId is null || alert.ModelId == filter.ModelId);
}
