namespace ModelPerformance.Tests.Foundation.TestGrains;

[GenerateSerializer, Alias("ModelPerformance.Tests.ReminderProbeState")]
public sealed record ReminderProbeState
{
    [Id(0)] public int Ticks { get; init; }
}
