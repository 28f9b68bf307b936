namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("RecordBatchResult")]
public sealed record RecordBatchResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] IReadOnlyList<Evaluation> Evaluations);

[GenerateSerializer, Immutable, Alias("PredictionBatchResult")]
public sealed record PredictionBatchResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] Evaluation? Evaluation,
    [property: Id(3)] MonitorSnapshot Monitor);
