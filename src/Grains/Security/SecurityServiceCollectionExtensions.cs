using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ModelPerformance.Grains.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>API keys and the audit log: PostgreSQL for a cluster member, memory for a lone silo.</summary>
    public static IServiceCollection AddSecurityStores(this IServiceCollection services, bool usePostgres)
    {
        if (usePostgres)
        {
            services.AddSingleton<IApiKeyStore>(sp => new PostgresApiKeyStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IAuditLog>(sp => new PostgresAuditLog(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
            services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        }
        return services;
    }
}
