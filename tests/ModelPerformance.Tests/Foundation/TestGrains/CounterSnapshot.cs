namespace ModelPerformance.Tests.Foundation.TestGrains;

/// <summary>What a counter holds, whether its state record exists, and which silo answered.</summary>
[GenerateSerializer, Immutable, Alias("ModelPerformance.Tests.CounterSnapshot")]
public sealed record CounterSnapshot
{
    [Id(0)] public required int Value { get; init; }
    [Id(1)] public required bool RecordExists { get; init; }
    [Id(2)] public required SiloAddress Silo { get; init; }
}
