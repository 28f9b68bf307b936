using ModelPerformance.Silo.Persistence;
using Npgsql;

namespace ModelPerformance.Silo.Hosting;

/// <summary>Brings the database schema up to date before the Orleans silo starts, so the providers find their tables.</summary>
internal sealed class MigrationHostedService(NpgsqlDataSource dataSource, ILogger<Migrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new Migrator(dataSource, logger).MigrateAsync(cancellationToken);
        }
        catch (SchemaTooNewException e)
        {
            logger.LogCritical("{Message}", e.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
