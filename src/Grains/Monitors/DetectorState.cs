using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.Monitors;

/// <summary>The concept detector's state as saved with the monitor (the statistics know nothing of Orleans).</summary>
[GenerateSerializer, Immutable, Alias("DetectorState")]
public sealed record DetectorState(
    [property: Id(0)] long SamplesSinceReset,
    [property: Id(1)] double[] WarmUp,
    [property: Id(2)] double Location,
    [property: Id(3)] double Scale,
    [property: Id(4)] long ReferenceCount,
    [property: Id(5)] double ReferenceMean,
    [property: Id(6)] double ReferenceM2,
    [property: Id(7)] double Sum,
    [property: Id(8)] bool Binary = false)
{
    public static DetectorState Of(PageHinkleyDetector d) =>
        new(d.SamplesSinceReset, [.. d.WarmUp], d.Location, d.Scale, d.ReferenceCount, d.ReferenceMean, d.ReferenceM2, d.Sum, d.Binary);

    public PageHinkleyDetector ToDetector() => new()
    {
        SamplesSinceReset = SamplesSinceReset,
        WarmUp = [.. WarmUp],
        Location = Location,
        Scale = Scale,
        ReferenceCount = ReferenceCount,
        ReferenceMean = ReferenceMean,
        ReferenceM2 = ReferenceM2,
        Sum = Sum,
        Binary = Binary,
    };
}
