using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ModelPerformance.Grains.AbTests;

public static class AbTestServiceCollectionExtensions
{
    /// <summary>The A/B test table: PostgreSQL for a cluster member, memory for a lone silo (as <c>AddMonitorHistory</c> chooses).</summary>
    public static IServiceCollection AddAbTests(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton<IAbTestStore>(sp => new PostgresAbTestStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IAbTestStore, InMemoryAbTestStore>();
        }
        return services;
    }
}
