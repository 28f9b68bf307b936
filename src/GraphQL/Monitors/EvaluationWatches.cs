using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// The monitors this silo's <c>evaluationRecorded</c> subscribers watch. A monitor publishes its evaluations
/// only under a lease (<see cref="IModelMonitorGrain.WatchEvaluationsAsync"/>): a subscription takes one
/// before it goes live, and while it lasts this service renews the lease of every watched monitor, so ingestion
/// into monitors nobody watches sends no events at all.
/// </summary>
public sealed class EvaluationWatches(MonitorReferences monitors, IOptions<SubscriptionOptions> options, ILogger<EvaluationWatches> logger) : BackgroundService
{
    private TimeSpan Lease => options.Value.EvaluationLease;

    private readonly ConcurrentDictionary<MonitorKey, int> watched = new();

    /// <summary>Asks the monitor to publish its evaluations; the subscription goes live after this returns.</summary>
    public Task LeaseAsync(MonitorKey key) => monitors.For(key).WatchEvaluationsAsync(Lease);

    /// <summary>Counts a live subscription of the monitor until the returned handle is disposed.</summary>
    public IDisposable Track(MonitorKey key)
    {
        watched.AddOrUpdate(key, 1, (_, n) => n + 1);
        return new Handle(this, key);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Lease / 4);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var key in watched.Keys)
            {
                try
                {
                    await LeaseAsync(key);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Renewing the evaluation lease of monitor {Monitor} failed; retrying at the next renewal", key);
                }
            }
        }
    }

    private void Release(MonitorKey key)
    {
        while (watched.TryGetValue(key, out var n))
        {
            if (n == 1 ? watched.TryRemove(new KeyValuePair<MonitorKey, int>(key, 1)) : watched.TryUpdate(key, n - 1, n))
            {
                return;
            }
        }
    }

    private sealed class Handle(EvaluationWatches owner, MonitorKey key) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(key);
            }
        }
    }
}
