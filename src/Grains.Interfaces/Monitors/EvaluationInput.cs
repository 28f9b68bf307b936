namespace ModelPerformance.Grains.Interfaces;

/// <summary>A precomputed evaluation as a client sends it (RecordEvaluationInput without the monitor key).</summary>
[GenerateSerializer, Immutable, Alias("EvaluationInput")]
public sealed record EvaluationInput(
    [property: Id(0)] string? EvaluationId,
    [property: Id(1)] string? ModelType,
    [property: Id(2)] ModelTask? Task,
    [property: Id(3)] string? ModelVersion,
    [property: Id(4)] DateTime? EvaluatedAt,
    [property: Id(5)] int? SampleCount,
    [property: Id(6)] MetricSet Metrics);
