namespace ModelPerformance.Silo.Hosting;

/// <summary>Says once, at start, that this silo keeps nothing: the in-memory mode is for a first look, not for data.</summary>
internal sealed class InMemoryModeNotice(ILogger<InMemoryModeNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "No connection string 'ConnectionStrings:Postgres' is set: this silo runs alone, in memory. " +
            "Nothing is persisted; monitors, history and alerts are lost when it stops.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
