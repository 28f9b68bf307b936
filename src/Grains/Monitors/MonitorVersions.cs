using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Registry;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// A monitor's side of the version registry (SEMANTICS.md, Retraining and versions): every version seen in data
/// is registered, the first one as champion; clients register versions trained elsewhere; a promotion moves the
/// champion. The names already registered are read once per activation, so ingestion asks the store only for a new name.
/// </summary>
internal sealed class MonitorVersions(MonitorKey key, IVersionStore store, TimeProvider clock)
{
    private HashSet<string>? known;

    /// <summary>Registers the versions a call's data carried; <paramref name="champion"/> is the active version after it.</summary>
    public async Task SeeAsync(IEnumerable<string?> versions, string? champion, bool championIsNew)
    {
        if (!championIsNew && versions.All(v => v is null || (known?.Contains(v) ?? false)))
        {
            return;
        }
        var names = await KnownAsync();
        foreach (var version in versions)
        {
            if (version is null || names.Contains(version))
            {
                continue;
            }
            var isChampion = version == champion && championIsNew;
            await store.AddAsync(new ModelVersionInfo(key.ModelId, key.MachineId, version, Now(), null, null, isChampion, null, isChampion ? Now() : null));
            names.Add(version);
        }
        if (championIsNew && champion is not null)
        {
            // Registered before its first data (registerVersion), it becomes champion now.
            await store.PromoteAsync(key, champion, Now());
        }
    }

    /// <summary>A version trained elsewhere, not champion; an existing name is a CONFLICT.</summary>
    public async Task<ModelVersionInfo> RegisterAsync(string version, MetricSet? metrics, string? artifactJson, Guid? trainingJobId = null)
    {
        var names = await KnownAsync();
        var info = new ModelVersionInfo(key.ModelId, key.MachineId, version, Now(), trainingJobId, metrics, false, artifactJson);
        if (names.Contains(version) || !await store.AddAsync(info))
        {
            throw ServiceException.Conflict($"monitor {key} already has a version '{version}'", "version");
        }
        names.Add(version);
        return info;
    }

    /// <summary>The version a training job produced, if it was registered already.</summary>
    public async Task<ModelVersionInfo?> FindByJobAsync(Guid jobId) =>
        (await store.ListAsync(key)).FirstOrDefault(v => v.TrainingJobId == jobId);

    /// <summary>Whether the monitor has a version of this name.</summary>
    public async Task<bool> HasAsync(string version) => (await KnownAsync()).Contains(version);

    /// <summary>Makes a registered version champion; an unknown one is NOT_FOUND.</summary>
    public async Task PromoteAsync(string version)
    {
        if (!await store.PromoteAsync(key, version, Now()))
        {
            throw ServiceException.NotFound($"monitor {key} has no version '{version}': register it first", "version");
        }
    }

    private async Task<HashSet<string>> KnownAsync() =>
        known ??= (await store.ListAsync(key)).Select(v => v.Version).ToHashSet(StringComparer.Ordinal);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
