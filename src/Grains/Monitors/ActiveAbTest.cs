using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>The monitor's running A/B test: what its prediction samples are outcomes of.</summary>
[GenerateSerializer, Immutable, Alias("ActiveAbTest")]
public sealed record ActiveAbTest(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string VersionA,
    [property: Id(2)] string VersionB,
    [property: Id(3)] Metric PrimaryMetric);
