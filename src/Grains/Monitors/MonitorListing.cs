using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// Keeps the monitor's registry row (what <c>monitors</c> lists and filters on) equal to its state. It writes only
/// when the row would change, which is rare next to ingestion.
/// </summary>
internal sealed class MonitorListing(MonitorKey key, IHistoryWriter history)
{
    /// <summary>What the registry holds for this monitor, as far as this activation wrote it.</summary>
    private MonitorRegistration? registered;

    public async Task UpdateAsync(ModelMonitorState state, HealthStatus health)
    {
        var current = new MonitorRegistration(key, state.ModelType, state.Task, state.ActiveVersion, health);
        if (current != registered)
        {
            await history.RegisterMonitorAsync(current);
            registered = current;
        }
    }
}
