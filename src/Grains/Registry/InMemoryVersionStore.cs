using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Registry;

/// <summary>The registry of a lone silo: lost with it, like the rest of its memory mode.</summary>
public sealed class InMemoryVersionStore : IVersionStore
{
    private readonly ConcurrentDictionary<MonitorKey, List<ModelVersionInfo>> versions = new();

    public Task<bool> AddAsync(ModelVersionInfo version, CancellationToken cancellationToken = default)
    {
        var list = versions.GetOrAdd(new MonitorKey(version.ModelId, version.MachineId), _ => []);
        lock (list)
        {
            if (list.Any(v => v.Version == version.Version))
            {
                return Task.FromResult(false);
            }
            list.Add(version);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ModelVersionInfo>> ListAsync(MonitorKey key, CancellationToken cancellationToken = default)
    {
        if (!versions.TryGetValue(key, out var list))
        {
            return Task.FromResult<IReadOnlyList<ModelVersionInfo>>([]);
        }
        lock (list)
        {
            return Task.FromResult<IReadOnlyList<ModelVersionInfo>>(list.OrderBy(v => v.CreatedAt).ThenBy(v => v.Version, StringComparer.Ordinal).ToList());
        }
    }

    public Task<bool> PromoteAsync(MonitorKey key, string version, DateTime at, CancellationToken cancellationToken = default)
    {
        if (!versions.TryGetValue(key, out var list))
        {
            return Task.FromResult(false);
        }
        lock (list)
        {
            if (!list.Any(v => v.Version == version))
            {
                return Task.FromResult(false);
            }
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = list[i].Version == version ? list[i] with { IsChampion = true, PromotedAt = at } : list[i] with { IsChampion = false };
            }
            return Task.FromResult(true);
        }
    }
}
