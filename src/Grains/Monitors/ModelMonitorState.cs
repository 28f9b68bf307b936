using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// What a monitor keeps between activations. History rows are the durable log: this state is saved
/// after configuration changes at once and otherwise every <c>Monitors:SaveInterval</c> (30 s), and <see cref="LastSeq"/> says
/// which history rows it already includes, so an activation replays the rest.
/// </summary>
[GenerateSerializer, Alias("ModelMonitorState")]
public sealed class ModelMonitorState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string ModelType { get; set; } = "default";
    [Id(2)] public ModelTask? Task { get; set; }
    [Id(3)] public string? ActiveVersion { get; set; }
    [Id(4)] public MonitorConfig Config { get; set; } = MonitorConfig.Default;
    [Id(5)] public MetricSet? ExplicitBaseline { get; set; }
    [Id(6)] public long EvaluationCount { get; set; }
    [Id(7)] public long SampleCount { get; set; }
    [Id(8)] public Evaluation? Latest { get; set; }
    [Id(9)] public long LastSeq { get; set; }
    [Id(10)] public SampleWindow Window { get; set; } = new(MonitorConfig.Default.WindowSize, rolls: true);
    [Id(11)] public SampleWindow Reference { get; set; } = new(MonitorConfig.Default.ReferenceSize, rolls: false);
    // Id 12 held the recorded evaluations' window, which the grain now rebuilds from the history on activation.
    [Id(13)] public Dictionary<string, FeatureKind> FeatureKinds { get; set; } = new(StringComparer.Ordinal);
    [Id(14)] public DateTime? LastDataAt { get; set; }
    [Id(15)] public DateTime CreatedAt { get; set; }

    /// <summary>Active-version samples that arrived after the reference froze: the drift check's current side is their last windowSize.</summary>
    [Id(16)] public long SamplesAfterFreeze { get; set; }

    [Id(17)] public DriftReport? LastDrift { get; set; }

    [Id(18)] public DetectorState? Detector { get; set; }

    /// <summary>When the concept detector last fired; a check that finds it has not fired since the previous check clears the alert.</summary>
    [Id(19)] public DateTime? ConceptFiredAt { get; set; }

    /// <summary>This monitor's alerts that are not RESOLVED, at most one per type.</summary>
    [Id(20)] public Dictionary<AlertType, Alert> OpenAlerts { get; set; } = [];

    [Id(21)] public DateTime? LastCheckAt { get; set; }

    /// <summary>Until when the monitor's evaluations are published as events (see <c>WatchEvaluationsAsync</c>); saved, so a reactivation keeps publishing.</summary>
    [Id(22)] public DateTime? EvaluationsWatchedUntil { get; set; }

    /// <summary>The monitor's PENDING or RUNNING training job, if any: at most one at a time.</summary>
    [Id(23)] public Guid? ActiveJobId { get; set; }

    /// <summary>When the monitor's last training job began, for the cooldown and the schedule.</summary>
    [Id(24)] public DateTime? LastJobStartedAt { get; set; }

    /// <summary>Versions training made for this monitor: the n of the next one's name, <c>&lt;activeVersion&gt;.r&lt;n&gt;</c>.</summary>
    [Id(25)] public int TrainedVersions { get; set; }

    /// <summary>The running A/B test, at most one.</summary>
    [Id(26)] public ActiveAbTest? ActiveAbTest { get; set; }

    /// <summary>The running test's outcomes from prediction samples of its two versions (rebuilt by replay, like the window).</summary>
    [Id(27)] public ArmMoments AbOutcomesA { get; set; }

    [Id(28)] public ArmMoments AbOutcomesB { get; set; }

    /// <summary>The last A/B test whose end the monitor handled, so a repeated notice raises and promotes nothing twice.</summary>
    [Id(29)] public Guid? LastEndedAbTestId { get; set; }
}
