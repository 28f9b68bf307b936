namespace ModelPerformance.Tests.Foundation.TestGrains;

[GenerateSerializer, Alias("ModelPerformance.Tests.CounterState")]
public sealed record CounterState
{
    [Id(0)] public int Value { get; init; }
}
