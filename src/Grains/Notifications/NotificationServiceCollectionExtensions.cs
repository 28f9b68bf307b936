using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using Npgsql;

namespace ModelPerformance.Grains.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Channels, silences, the outbox and this silo's dispatcher: PostgreSQL for a cluster member, memory for a lone silo (as
    /// <c>AddAlerts</c> chooses, whose store writes into the outbox).
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, bool usePostgres)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<ServiceAddress>();
        if (usePostgres)
        {
            services.AddSingleton(sp => new PostgresNotificationStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DeliverySignal>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IAlertStore>));
            services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<PostgresNotificationStore>());
        }
        else
        {
            services.AddSingleton(sp => new InMemoryNotificationStore(sp.GetRequiredService<DeliverySignal>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IAlertStore>));
            services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<InMemoryNotificationStore>());
        }
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }
}
