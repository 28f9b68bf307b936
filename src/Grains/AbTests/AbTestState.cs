using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.AbTests;

/// <summary>
/// What an A/B test keeps. The outcomes of <c>recordAbOutcomes</c> are saved before they are acknowledged; those from
/// predictions are a copy of what the monitor holds (from its history), saved lazily and asked for again after a restart.
/// </summary>
[GenerateSerializer, Alias("AbTestState")]
public sealed class AbTestState
{
    /// <summary>Null until the test starts; its results are those of the moments below.</summary>
    [Id(0)] public AbTest? Test { get; set; }

    [Id(1)] public ArmMoments RecordedA { get; set; }
    [Id(2)] public ArmMoments RecordedB { get; set; }

    /// <summary>The monitor's prediction outcomes, as of its history row <c>Predicted.Seq</c>.</summary>
    [Id(3)] public PredictionOutcomes Predicted { get; set; } = new(0, ArmMoments.Empty, ArmMoments.Empty);

    /// <summary>The running minimum of the mixture SPRT p-value.</summary>
    [Id(4)] public double? SequentialPValue { get; set; }

    /// <summary>Whether the monitor has heard that the test ended (it then promotes and raises the alert); retried until it has.</summary>
    [Id(5)] public bool MonitorNotified { get; set; }

    public AbTestState Copy() => (AbTestState)MemberwiseClone();
}
