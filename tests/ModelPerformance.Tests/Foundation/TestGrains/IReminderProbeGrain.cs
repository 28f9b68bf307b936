namespace ModelPerformance.Tests.Foundation.TestGrains;

/// <summary>Counts the ticks of its reminder in persisted state, so the count survives the silo it ran on.</summary>
[Alias("ModelPerformance.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task Start(TimeSpan period);

    [Alias("Ticks")]
    Task<int> Ticks();
}
