using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>A recorded evaluation in a monitor's window, weighted by its sample count (1 when it gave none).</summary>
public sealed record WeightedEvaluation(MetricSet Metrics, int Weight);
