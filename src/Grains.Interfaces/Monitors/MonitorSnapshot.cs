namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("MetricDegradation")]
public sealed record MetricDegradation(
    [property: Id(0)] Metric Metric,
    [property: Id(1)] double Baseline,
    [property: Id(2)] double Current,
    [property: Id(3)] double RelativeChange,
    [property: Id(4)] HealthStatus Status);

/// <summary>What a monitor grain knows of itself, read in one call (the GraphQL <c>Monitor</c> type's grain-held fields).</summary>
[GenerateSerializer, Immutable, Alias("MonitorSnapshot")]
public sealed record MonitorSnapshot(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string MachineId,
    [property: Id(2)] string ModelType,
    [property: Id(3)] ModelTask? Task,
    [property: Id(4)] string? ActiveVersion,
    [property: Id(5)] long EvaluationCount,
    [property: Id(6)] long SampleCount,
    [property: Id(7)] DateTime? LastEvaluatedAt,
    [property: Id(8)] Evaluation? Latest,
    [property: Id(9)] MetricSet Current,
    [property: Id(10)] MetricSet? Baseline,
    [property: Id(11)] HealthStatus Health,
    [property: Id(12)] IReadOnlyList<MetricDegradation> Degradation,
    [property: Id(13)] DriftReport? Drift,
    [property: Id(14)] MonitorConfig Config,
    [property: Id(15)] int WindowCount);
