namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("Alert")]
public sealed record Alert(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string MachineId,
    [property: Id(3)] string ModelType,
    [property: Id(4)] AlertType Type,
    [property: Id(5)] Severity Severity,
    [property: Id(6)] AlertStatus Status,
    [property: Id(7)] string Message,
    [property: Id(8)] string? DetailsJson,
    [property: Id(9)] DateTime CreatedAt,
    [property: Id(10)] DateTime LastSeenAt,
    [property: Id(11)] int Occurrences,
    [property: Id(12)] DateTime? AcknowledgedAt,
    [property: Id(13)] DateTime? ResolvedAt,
    [property: Id(14)] string? ResolvedBy,
    [property: Id(15)] string? ResolutionNote,
    [property: Id(16)] string? AutoAction);
