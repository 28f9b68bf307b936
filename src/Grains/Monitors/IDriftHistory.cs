using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>Where each drift check is recorded (<c>model_drift_checks</c>, or memory in a lone silo).</summary>
public interface IDriftHistory
{
    Task SaveAsync(MonitorKey key, DriftReport report, CancellationToken cancellationToken = default);
}
