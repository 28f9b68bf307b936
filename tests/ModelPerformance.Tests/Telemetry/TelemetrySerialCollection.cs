namespace ModelPerformance.Tests.Telemetry;

/// <summary>
/// Instruments are process-wide, so a scrape shows every running service's measurements; tests that check a gauge's
/// exact value run in this collection, after the parallel ones and alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetrySerialCollection
{
    public const string Name = "telemetry-serial";
}
