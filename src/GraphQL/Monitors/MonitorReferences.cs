using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// Grain references of monitors, made once per monitor: Orleans' <c>GetGrain</c> resolves the interface's grain
/// type by reflection on every call, which cost more than the rest of a batch's per-evaluation work in the
/// gateway. A reference is a name, valid for the grain's whole life; the cache is emptied when it grows past
/// <see cref="MaxCached"/>, so its memory stays bounded whatever monitor ids arrive.
/// </summary>
public sealed class MonitorReferences(IGrainFactory grains)
{
    public const int MaxCached = 100_000;

    private readonly ConcurrentDictionary<MonitorKey, IModelMonitorGrain> cache = new();

    public IModelMonitorGrain For(MonitorKey key)
    {
        if (cache.TryGetValue(key, out var grain))
        {
            return grain;
        }
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }
        return cache.GetOrAdd(key, k => grains.GetGrain<IModelMonitorGrain>(k.ToString()));
    }
}
