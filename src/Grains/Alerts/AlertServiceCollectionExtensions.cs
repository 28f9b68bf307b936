using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Grains.Notifications;
using Npgsql;

namespace ModelPerformance.Grains.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// The alert store and the drift check history: PostgreSQL for a cluster member, memory for a lone silo
    /// (as <c>AddMonitorHistory</c> chooses); alerts write their notifications into the outbox of <c>AddNotifications</c>.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton<IAlertStore>(sp => new PostgresAlertStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<PostgresNotificationStore>()));
            services.AddSingleton<IDriftHistory>(sp => new PostgresDriftHistory(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IAlertStore>(sp => new InMemoryAlertStore(sp.GetRequiredService<InMemoryNotificationStore>()));
            services.AddSingleton<IDriftHistory, InMemoryDriftHistory>();
        }
        return services;
    }
}
