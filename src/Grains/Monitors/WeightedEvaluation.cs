using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>A recorded evaluation in a monitor's window, weighted by its sample count (1 when it gave none).</summary>
[GenerateSerializer, Immutable, Alias("WeightedEvaluation")]
public sealed record WeightedEvaluation([property: Id(0)] MetricSet Metrics, [property: Id(1)] int Weight);
