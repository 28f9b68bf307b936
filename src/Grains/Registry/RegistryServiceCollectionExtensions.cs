using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ModelPerformance.Grains.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>The version registry: PostgreSQL for a cluster member, memory for a lone silo (as <c>AddMonitorHistory</c> chooses).</summary>
    public static IServiceCollection AddVersionRegistry(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton<IVersionStore>(sp => new PostgresVersionStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IVersionStore, InMemoryVersionStore>();
        }
        return services;
    }
}
