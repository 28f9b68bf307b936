using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Keeps the history tables' months: at start and then every <see cref="HistoryOptions.MaintenanceInterval"/>, creates the
/// partitions of this month and the next, so writes never wait for one, and drops the partitions past retention. Every silo
/// runs it; the SQL functions serialize silos and do nothing when there is nothing to do.
/// </summary>
public sealed class HistoryPartitionMaintenance(
    NpgsqlDataSource dataSource, IOptions<HistoryOptions> options, TimeProvider clock, ILogger<HistoryPartitionMaintenance> logger) : BackgroundService
{
    /// <summary>After a failure (the database down) the next try comes sooner than the interval.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.Value.MaintenanceInterval;
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Maintaining the history partitions failed; trying again in {Delay}", RetryDelay);
                delay = RetryDelay < delay ? RetryDelay : delay;
            }
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round of creating and dropping; returns the partitions created and dropped.</summary>
    public async Task<(int Created, int Dropped)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var created = 0;
        var dropped = 0;
        foreach (var (table, retentionDays) in new[]
                 {
                     (HistoryPartitions.Metrics, options.Value.MetricsRetentionDays),
                     (HistoryPartitions.DriftChecks, options.Value.DriftCheckRetentionDays),
                 })
        {
            created += await HistoryPartitions.EnsureAsync(dataSource, table, [now, now.AddMonths(1)], cancellationToken);
            if (retentionDays > 0)
            {
                dropped += await HistoryPartitions.DropBeforeAsync(dataSource, table, now.AddDays(-retentionDays), cancellationToken);
            }
        }
        if (created + dropped > 0)
        {
            logger.LogInformation("History partitions: {Created} created, {Dropped} dropped past retention", created, dropped);
        }
        return (created, dropped);
    }
}
