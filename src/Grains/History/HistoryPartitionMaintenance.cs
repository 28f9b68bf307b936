using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Interfaces;
using Npgsql;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Keeps the history tables' months: at start and then every <see cref="HistoryOptions.MaintenanceInterval"/>, creates the
/// partitions of this month and the next, so writes never wait for one, and drops the partitions past retention (after
/// summing their monitors' hours into the hourly aggregates, which are kept). Every silo
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
                var cutoff = now.AddDays(-retentionDays);
                if (table == HistoryPartitions.Metrics)
                {
                    await SumHoursBeforeDropAsync(cutoff, now, cancellationToken);
                }
                dropped += await HistoryPartitions.DropBeforeAsync(dataSource, table, cutoff, cancellationToken);
            }
        }
        if (created + dropped > 0)
        {
            logger.LogInformation("History partitions: {Created} created, {Dropped} dropped past retention", created, dropped);
        }
        return (created, dropped);
    }

    /// <summary>
    /// Trends of dropped months read their hourly sums, so every monitor with rows in a month about to go has its
    /// sealed hours summed first, as its first trend by hours would have done.
    /// </summary>
    private async Task SumHoursBeforeDropAsync(DateTime cutoff, DateTime now, CancellationToken cancellationToken)
    {
        var keptFrom = new DateTime(cutoff.Year, cutoff.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var monitors = new List<MonitorKey>();
        await using (var uncovered = dataSource.CreateCommand("""
            SELECT DISTINCT m.model_id, m.machine_id FROM model_performance_metrics AS m
            LEFT JOIN model_metric_hourly_coverage AS c ON c.model_id = m.model_id AND c.machine_id = m.machine_id
            WHERE m.evaluated_at < @kept_from AND (c.covered_until IS NULL OR c.covered_until < @kept_from)
            """))
        {
            uncovered.Parameters.AddWithValue("kept_from", keptFrom);
            await using var reader = await uncovered.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                monitors.Add(new MonitorKey(reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var monitor in monitors)
        {
            await HourlyRollup.FillAsync(dataSource, monitor, HourlyRollup.SealedBefore(now), cancellationToken);
        }
    }
}
