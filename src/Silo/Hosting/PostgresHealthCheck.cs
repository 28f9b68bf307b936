using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ModelPerformance.Silo.Hosting;

/// <summary>Healthy when the database answers a trivial query, or when the silo runs in memory and has none.</summary>
internal sealed class PostgresHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<NpgsqlDataSource>() is not { } dataSource)
        {
            return HealthCheckResult.Healthy("in-memory mode");
        }
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database does not answer");
        }
    }
}
