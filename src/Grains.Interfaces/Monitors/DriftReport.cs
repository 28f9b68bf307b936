namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("FeatureDrift")]
public sealed record FeatureDrift(
    [property: Id(0)] string Feature,
    [property: Id(1)] FeatureKind Kind,
    [property: Id(2)] string Method,
    [property: Id(3)] double Score,
    [property: Id(4)] double Threshold,
    [property: Id(5)] bool Drifted,
    [property: Id(6)] double? Psi,
    [property: Id(7)] double? KsStatistic,
    [property: Id(8)] double? KsPValue,
    [property: Id(9)] double? Wasserstein,
    [property: Id(10)] double? JensenShannon,
    [property: Id(11)] double? ChiSquaredPValue);

[GenerateSerializer, Immutable, Alias("ConceptDriftStatus")]
public sealed record ConceptDriftStatus(
    [property: Id(0)] string Detector,
    [property: Id(1)] bool Detected,
    [property: Id(2)] DateTime? DetectedAt,
    [property: Id(3)] int SamplesSinceReset);

[GenerateSerializer, Immutable, Alias("DriftReport")]
public sealed record DriftReport(
    [property: Id(0)] DateTime CheckedAt,
    [property: Id(1)] bool DriftDetected,
    [property: Id(2)] double DriftScore,
    [property: Id(3)] int ReferenceSize,
    [property: Id(4)] int CurrentSize,
    [property: Id(5)] string? SkippedReason,
    [property: Id(6)] IReadOnlyList<FeatureDrift> Features,
    [property: Id(7)] ConceptDriftStatus ConceptDrift);
