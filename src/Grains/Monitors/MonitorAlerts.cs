using System.Text.Json;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.Grains.Telemetry;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// The alert lifecycle of one monitor (SEMANTICS.md, Alerts): at most one alert per type is not RESOLVED; the
/// condition seen again adds an occurrence and may raise the severity, never lower it; a cleared condition
/// resolves it as <c>system</c>. Every change is saved to the store before it is published; opening, escalating and
/// resolving are notification events, saved with their deliveries.
/// </summary>
/// <param name="autoAction">What the service does on its own when an alert opens (e.g. starts retraining); its answer is the alert's <c>autoAction</c>.</param>
internal sealed class MonitorAlerts(MonitorKey key, Func<ModelMonitorState> state, IAlertStore store, IEventPublisher events, TimeProvider clock,
    Func<AlertType, Severity, string, Task<string?>> autoAction)
{
    public const string SystemResolver = "system";

    private ModelMonitorState State => state();

    /// <summary>On activation: the store is the truth about open alerts, and the saved state may lag behind it.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var stored = await store.QueryAsync(new AlertFilter(ModelId: key.ModelId, MachineId: key.MachineId), 100, cancellationToken);
        State.OpenAlerts = stored.Where(a => a.Status != AlertStatus.Resolved)
            .GroupBy(a => a.Type).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.CreatedAt).First());
    }

    /// <summary>Opens an alert of this type, or records the condition again on the open one.</summary>
    public async Task RaiseAsync(AlertType type, Severity severity, string message, object? details)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var detailsJson = details is null ? null : JsonSerializer.Serialize(details);
        if (State.OpenAlerts.TryGetValue(type, out var open))
        {
            var raised = severity > open.Severity;
            var seen = open with
            {
                Occurrences = open.Occurrences + 1,
                LastSeenAt = now,
                Severity = raised ? severity : open.Severity,
                Message = raised ? message : open.Message,
                DetailsJson = detailsJson ?? open.DetailsJson,
            };
            await SaveAsync(seen, raised ? NotificationEvent.Escalated : null);
            if (raised)
            {
                await events.PublishAsync(new AlertRaised(seen));
            }
            return;
        }
        var alert = new Alert(Guid.CreateVersion7(), key.ModelId, key.MachineId, State.ModelType, type, severity, AlertStatus.Open,
            message, detailsJson, now, now, 1, null, null, null, null, await autoAction(type, severity, message));
        await SaveAsync(alert, NotificationEvent.Firing);
        ServiceMeters.AlertsRaised.Add(1, ServiceMeters.Tag("type", Names.Of(type)), ServiceMeters.Tag("severity", Names.Of(severity)));
        await events.PublishAsync(new AlertRaised(alert));
    }

    /// <summary>Resolves the open alert of this type, if any, because its condition is gone.</summary>
    public async Task ClearAsync(AlertType type)
    {
        if (State.OpenAlerts.TryGetValue(type, out var open))
        {
            await ResolveAsync(open, SystemResolver, "condition cleared");
        }
    }

    public async Task<Alert> AcknowledgeAsync(Guid id)
    {
        var alert = await FindAsync(id);
        if (alert.Status == AlertStatus.Resolved)
        {
            throw ServiceException.BadInput($"alert {id} is resolved and cannot be acknowledged", "id");
        }
        if (alert.Status == AlertStatus.Acknowledged)
        {
            return alert;
        }
        var acknowledged = alert with { Status = AlertStatus.Acknowledged, AcknowledgedAt = clock.GetUtcNow().UtcDateTime };
        await SaveAsync(acknowledged, null);
        await events.PublishAsync(new AlertChanged(acknowledged));
        return acknowledged;
    }

    public async Task<Alert> ResolveAsync(Guid id, string resolvedBy, string? note)
    {
        var alert = await FindAsync(id);
        return alert.Status == AlertStatus.Resolved ? alert : await ResolveAsync(alert, resolvedBy, note);
    }

    /// <summary>The worst severity among open alerts, as a health status.</summary>
    public static HealthStatus? Worst(ModelMonitorState state) =>
        state.OpenAlerts.Count == 0 ? null : state.OpenAlerts.Values.Max(a => a.Severity) switch
        {
            Severity.Critical => HealthStatus.Critical,
            Severity.Warning => HealthStatus.Warning,
            _ => HealthStatus.Ok,
        };

    private async Task<Alert> ResolveAsync(Alert alert, string resolvedBy, string? note)
    {
        var resolved = alert with
        {
            Status = AlertStatus.Resolved,
            ResolvedAt = clock.GetUtcNow().UtcDateTime,
            ResolvedBy = resolvedBy,
            ResolutionNote = note,
        };
        await SaveAsync(resolved, NotificationEvent.Resolved);
        await events.PublishAsync(new AlertChanged(resolved));
        return resolved;
    }

    private async Task<Alert> FindAsync(Guid id)
    {
        var open = State.OpenAlerts.Values.FirstOrDefault(a => a.Id == id);
        if (open is not null)
        {
            return open;
        }
        var stored = await store.GetAsync(id);
        return stored is not null && stored.ModelId == key.ModelId && stored.MachineId == key.MachineId
            ? stored
            : throw ServiceException.NotFound($"no alert {id} on monitor {key}", "id");
    }

    /// <summary>Stores the alert with the notifications of its event, if it is one, then keeps the open ones in the monitor's state.</summary>
    private async Task SaveAsync(Alert alert, NotificationEvent? notification)
    {
        await store.SaveAsync(alert, notification);
        if (alert.Status == AlertStatus.Resolved)
        {
            State.OpenAlerts.Remove(alert.Type);
        }
        else
        {
            State.OpenAlerts[alert.Type] = alert;
        }
    }
}
