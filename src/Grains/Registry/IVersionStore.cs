using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Registry;

/// <summary>
/// <c>model_versions</c> (memory in a lone silo): every version of a monitor's model, seen in data or registered.
/// The monitor grain is its only writer for its own versions, so a name check and an insert need no lock between them.
/// </summary>
public interface IVersionStore
{
    /// <summary>Inserts the version; false, changing nothing, when the monitor already has a version of that name.</summary>
    Task<bool> AddAsync(ModelVersionInfo version, CancellationToken cancellationToken = default);

    /// <summary>The monitor's versions, oldest first.</summary>
    Task<IReadOnlyList<ModelVersionInfo>> ListAsync(MonitorKey key, CancellationToken cancellationToken = default);

    /// <summary>In one step, this version becomes champion (promoted at <paramref name="at"/>) and every other one of the monitor stops being it; false for an unknown version.</summary>
    Task<bool> PromoteAsync(MonitorKey key, string version, DateTime at, CancellationToken cancellationToken = default);
}
