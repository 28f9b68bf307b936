using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;

namespace ModelPerformance.Grains.Alerts;

/// <summary>Which alerts the <c>alerts</c> query returns; null fields do not filter.</summary>
public sealed record AlertFilter(
    AlertStatus? Status = null,
    Severity? Severity = null,
    AlertType? Type = null,
    string? MachineId = null,
    string? ModelType = null,
    string? ModelId = null);

/// <summary>
/// Alerts as stored in <c>model_alerts</c> (memory in a lone silo). Monitor grains own their alerts' lifecycle
/// and save every change here before they acknowledge it; queries read here.
/// </summary>
public interface IAlertStore
{
    /// <summary>
    /// Inserts or replaces the alert with this id; when the change is a notification event (<paramref name="notification"/>), the
    /// deliveries it makes are written with it, atomically.
    /// </summary>
    Task SaveAsync(Alert alert, NotificationEvent? notification = null, CancellationToken cancellationToken = default);

    Task<Alert?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Matching alerts, newest first.</summary>
    Task<IReadOnlyList<Alert>> QueryAsync(AlertFilter filter, int first, CancellationToken cancellationToken = default);

    /// <summary>
    /// The alerts of several monitors in one query (a page of a fleet), each monitor's newest <paramref name="firstPerMonitor"/>
    /// with <paramref name="status"/> (any when null), newest first; a monitor without any is absent.
    /// </summary>
    Task<IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>>> QueryByMonitorAsync(IReadOnlyCollection<MonitorKey> monitors, AlertStatus? status,
        int firstPerMonitor, CancellationToken cancellationToken = default);

    /// <summary>Alerts not RESOLVED under the filter's machine and model type, and how many of them are CRITICAL.</summary>
    Task<(int Unresolved, int Critical)> CountUnresolvedAsync(AlertFilter filter, CancellationToken cancellationToken = default);
}
