namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("TrendPoint")]
public sealed record TrendPoint(
    [property: Id(0)] DateTime BucketStart,
    [property: Id(1)] int Count,
    [property: Id(2)] double Mean,
    [property: Id(3)] double Min,
    [property: Id(4)] double Max);
