namespace ModelPerformance.Grains.Interfaces;

/// <summary>A registered version of a monitor's model (the contract's <c>ModelVersion</c>); <see cref="PromotedAt"/> is when it last became champion.</summary>
[GenerateSerializer, Immutable, Alias("ModelVersionInfo")]
public sealed record ModelVersionInfo(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string MachineId,
    [property: Id(2)] string Version,
    [property: Id(3)] DateTime CreatedAt,
    [property: Id(4)] Guid? TrainingJobId,
    [property: Id(5)] MetricSet? Metrics,
    [property: Id(6)] bool IsChampion,
    [property: Id(7)] string? ArtifactJson,
    [property: Id(8)] DateTime? PromotedAt = null);
