namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("TrainingJob")]
public sealed record TrainingJob(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string MachineId,
    [property: Id(3)] TrainingTrigger Trigger,
    [property: Id(4)] TrainingStatus Status,
    [property: Id(5)] string? Reason,
    [property: Id(6)] DateTime CreatedAt,
    [property: Id(7)] DateTime? StartedAt,
    [property: Id(8)] DateTime? CompletedAt,
    [property: Id(9)] string? PreviousVersion,
    [property: Id(10)] string? NewVersion,
    [property: Id(11)] string? HyperparametersJson,
    [property: Id(12)] MetricSet? MetricsBefore,
    [property: Id(13)] MetricSet? MetricsAfter,
    [property: Id(14)] double? Improvement,
    [property: Id(15)] string? Error,
    [property: Id(16)] Guid? AbTestId);
