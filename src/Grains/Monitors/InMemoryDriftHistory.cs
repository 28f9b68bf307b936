using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>The drift checks of a lone silo without a database, the latest ones per monitor kept in memory.</summary>
public sealed class InMemoryDriftHistory : IDriftHistory
{
    /// <summary>Periodic checks never stop, and a lone silo has nowhere else to put them: older ones are dropped.</summary>
    public const int MaxChecksPerMonitor = 1_000;

    private readonly ConcurrentDictionary<MonitorKey, Queue<DriftReport>> checks = new();

    public Task SaveAsync(MonitorKey key, DriftReport report, CancellationToken cancellationToken = default)
    {
        var queue = checks.GetOrAdd(key, _ => new Queue<DriftReport>());
        lock (queue)
        {
            queue.Enqueue(report);
            if (queue.Count > MaxChecksPerMonitor)
            {
                queue.Dequeue();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The monitor's recorded checks, oldest first.</summary>
    public IReadOnlyList<DriftReport> Checks(MonitorKey key)
    {
        if (!checks.TryGetValue(key, out var queue))
        {
            return [];
        }
        lock (queue)
        {
            return queue.ToList();
        }
    }
}
