namespace ModelPerformance.Grains.Interfaces;

[GenerateSerializer, Immutable, Alias("AbArmResult")]
public sealed record AbArmResult(
    [property: Id(0)] AbArm Arm,
    [property: Id(1)] string Version,
    [property: Id(2)] int Samples,
    [property: Id(3)] double Mean,
    [property: Id(4)] double StdDev);

[GenerateSerializer, Immutable, Alias("AbTestResults")]
public sealed record AbTestResults(
    [property: Id(0)] AbArmResult A,
    [property: Id(1)] AbArmResult B,
    [property: Id(2)] double? Difference,
    [property: Id(3)] double? RelativeLift,
    [property: Id(4)] double? CiLow,
    [property: Id(5)] double? CiHigh,
    [property: Id(6)] double? TStatistic,
    [property: Id(7)] double? PValue,
    [property: Id(8)] double? SequentialPValue,
    [property: Id(9)] double? SrmPValue,
    [property: Id(10)] bool SrmDetected,
    [property: Id(11)] double Confidence,
    [property: Id(12)] AbArm? Winner,
    [property: Id(13)] string Decision);

[GenerateSerializer, Immutable, Alias("AbTest")]
public sealed record AbTest(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string MachineId,
    [property: Id(3)] string VersionA,
    [property: Id(4)] string VersionB,
    [property: Id(5)] double TrafficSplit,
    [property: Id(6)] Metric PrimaryMetric,
    [property: Id(7)] bool LowerIsBetter,
    [property: Id(8)] AbTestStatus Status,
    [property: Id(9)] DateTime StartedAt,
    [property: Id(10)] DateTime? EndsAt,
    [property: Id(11)] DateTime? CompletedAt,
    [property: Id(12)] int MinSamplesPerArm,
    [property: Id(13)] bool AutoPromote,
    [property: Id(14)] AbTestResults Results);

[GenerateSerializer, Immutable, Alias("AbAssignment")]
public sealed record AbAssignment(
    [property: Id(0)] Guid TestId,
    [property: Id(1)] string UnitKey,
    [property: Id(2)] AbArm Arm,
    [property: Id(3)] string Version);
