using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Monitors;
using Npgsql;

namespace ModelPerformance.Grains.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// The alert store and the drift check history: PostgreSQL for a cluster member, memory for a lone silo
    /// (as <c>AddMonitorHistory</c> chooses).
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton<IAlertStore>(sp => new PostgresAlertStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IDriftHistory>(sp => new PostgresDriftHistory(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IAlertStore, InMemoryAlertStore>();
            services.AddSingleton<IDriftHistory, InMemoryDriftHistory>();
        }
        return services;
    }
}
