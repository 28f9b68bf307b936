namespace ModelPerformance.Grains.Interfaces;

/// <summary>What a monitor starts an A/B test with, after checking it (SEMANTICS.md, A/B tests).</summary>
[GenerateSerializer, Immutable, Alias("AbTestDefinition")]
public sealed record AbTestDefinition(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string MachineId,
    [property: Id(2)] string VersionA,
    [property: Id(3)] string VersionB,
    [property: Id(4)] double TrafficSplit,
    [property: Id(5)] Metric PrimaryMetric,
    [property: Id(6)] int MinSamplesPerArm,
    [property: Id(7)] int DurationHours,
    [property: Id(8)] bool AutoPromote)
{
    // The defaults of StartAbTestInput, which the AB_TEST promotion policy uses too.
    public const double DefaultTrafficSplit = 0.5;
    public const int DefaultMinSamplesPerArm = 100;
    public const int DefaultDurationHours = 168;
}

/// <summary>A batch of outcomes, summarised per arm before it travels.</summary>
[GenerateSerializer, Immutable, Alias("AbOutcomeBatch")]
public sealed record AbOutcomeBatch([property: Id(0)] ArmMoments A, [property: Id(1)] ArmMoments B);

/// <summary>A monitor's outcomes of a test from prediction samples, all of them up to its history row <see cref="Seq"/>.</summary>
[GenerateSerializer, Immutable, Alias("PredictionOutcomes")]
public sealed record PredictionOutcomes([property: Id(0)] long Seq, [property: Id(1)] ArmMoments A, [property: Id(2)] ArmMoments B);

/// <summary>
/// One A/B test: RUNNING -> COMPLETED | STOPPED. Outcomes come from <c>recordAbOutcomes</c> (saved before they are
/// acknowledged) and from the monitor's prediction samples of either version (which the monitor's history holds,
/// so the test asks the monitor for them again after a restart).
/// </summary>
[Alias("IAbTestGrain")]
public interface IAbTestGrain : IGrainWithGuidKey
{
    /// <summary>Starts the test as RUNNING; again returns the test as it is.</summary>
    [Alias("Start")]
    Task<AbTest> StartAsync(AbTestDefinition definition);

    /// <summary>Null for an id no test has. Interleaves, so a monitor may ask while the test waits on it.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave]
    Task<AbTest?> GetAsync();

    /// <summary>
    /// Adds outcomes; answered once they are saved. Calls interleave, so outcomes that arrive together are saved
    /// together. A test that is not RUNNING is a CONFLICT.
    /// </summary>
    [Alias("RecordOutcomes"), Orleans.Concurrency.AlwaysInterleave]
    Task<AbTest> RecordOutcomesAsync(AbOutcomeBatch batch);

    /// <summary>The monitor's prediction outcomes of this test; an offer older than the one the test holds is ignored.</summary>
    [Alias("OfferPredictionOutcomes"), Orleans.Concurrency.OneWay]
    Task OfferPredictionOutcomesAsync(PredictionOutcomes outcomes);

    /// <summary>A RUNNING test ends as STOPPED, with no promotion; an ended one is a CONFLICT.</summary>
    [Alias("Stop")]
    Task<AbTest> StopAsync();
}
