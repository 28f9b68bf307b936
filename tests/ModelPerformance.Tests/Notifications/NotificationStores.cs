using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Notifications;
using Npgsql;

namespace ModelPerformance.Tests.Notifications;

/// <summary>An alert store and the notification store it writes its outbox into, wired as the service wires them.</summary>
public sealed record NotificationStores(IAlertStore Alerts, INotificationStore Notifications, DeliverySignal Signal)
{
    public static NotificationStores InMemory()
    {
        var signal = new DeliverySignal();
        IAlertStore? alerts = null;
        var notifications = new InMemoryNotificationStore(signal, TimeProvider.System, () => alerts!);
        alerts = new InMemoryAlertStore(notifications);
        return new NotificationStores(alerts, notifications, signal);
    }

    public static NotificationStores Postgres(NpgsqlDataSource dataSource)
    {
        var signal = new DeliverySignal();
        IAlertStore? alerts = null;
        var notifications = new PostgresNotificationStore(dataSource, signal, TimeProvider.System, () => alerts!);
        alerts = new PostgresAlertStore(dataSource, notifications);
        return new NotificationStores(alerts, notifications, signal);
    }
}
