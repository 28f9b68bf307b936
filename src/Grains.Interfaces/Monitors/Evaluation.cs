namespace ModelPerformance.Grains.Interfaces;

/// <summary>One evaluation of one model version on one machine: recorded as given, or computed from a prediction batch.</summary>
[GenerateSerializer, Immutable, Alias("Evaluation")]
public sealed record Evaluation(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string MachineId,
    [property: Id(3)] string? ModelVersion,
    [property: Id(4)] DateTime EvaluatedAt,
    [property: Id(5)] int? SampleCount,
    [property: Id(6)] MetricSet Metrics);
