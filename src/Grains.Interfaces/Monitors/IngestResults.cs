namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// Evaluations as recorded, in input order; <paramref name="DuplicateIndexes"/> are the indexes, ascending, of those
/// whose evaluation id was already stored (their entry is the stored evaluation).
/// </summary>
[GenerateSerializer, Immutable, Alias("RecordBatchResult")]
public sealed record RecordBatchResult(
    [property: Id(0)] IReadOnlyList<Evaluation> Evaluations,
    [property: Id(1)] IReadOnlyList<int> DuplicateIndexes)
{
    public int Duplicates => DuplicateIndexes.Count;

    public int Accepted => Evaluations.Count - Duplicates;
}

[GenerateSerializer, Immutable, Alias("PredictionBatchResult")]
public sealed record PredictionBatchResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] Evaluation? Evaluation,
    [property: Id(3)] MonitorSnapshot Monitor);
