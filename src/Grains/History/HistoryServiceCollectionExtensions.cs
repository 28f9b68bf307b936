using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace ModelPerformance.Grains.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// The history behind monitors and queries: PostgreSQL when a data source is registered (a cluster
    /// member), memory otherwise (a lone silo). One instance serves both the write and the read side.
    /// </summary>
    public static IServiceCollection AddMonitorHistory(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton(sp => new PostgresHistory(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresHistory>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IHistoryWriter>(sp => sp.GetRequiredService<PostgresHistory>());
            services.AddSingleton<IMonitorHistory>(sp => sp.GetRequiredService<PostgresHistory>());
            services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section);
            services.AddHostedService<HistoryPartitionMaintenance>();
        }
        else
        {
            services.AddSingleton<InMemoryHistory>();
            services.AddSingleton<IHistoryWriter>(sp => sp.GetRequiredService<InMemoryHistory>());
            services.AddSingleton<IMonitorHistory>(sp => sp.GetRequiredService<InMemoryHistory>());
        }
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
