namespace ModelPerformance.Grains.Interfaces;

/// <summary>A monitor's settings; the defaults are those of SEMANTICS.md.</summary>
[GenerateSerializer, Immutable, Alias("MonitorConfig")]
public sealed record MonitorConfig
{
    [Id(0)] public int CheckIntervalMinutes { get; init; } = 15;
    [Id(1)] public double WarningDegradation { get; init; } = 0.10;
    [Id(2)] public double CriticalDegradation { get; init; } = 0.25;
    [Id(3)] public int MinSamples { get; init; } = 100;
    [Id(4)] public int ReferenceSize { get; init; } = 1000;
    [Id(5)] public int WindowSize { get; init; } = 1000;
    [Id(6)] public double KsAlpha { get; init; } = 0.05;
    [Id(7)] public double DistanceThreshold { get; init; } = 0.1;
    [Id(8)] public double DriftShareThreshold { get; init; } = 0.5;
    [Id(9)] public int NoDataMinutes { get; init; } = 60;
    [Id(10)] public bool AutoRetrain { get; init; }
    [Id(11)] public int RetrainCooldownMinutes { get; init; } = 60;
    [Id(12)] public PromotionPolicy PromotionPolicy { get; init; } = PromotionPolicy.Manual;
    [Id(13)] public string PositiveLabel { get; init; } = "1";
    [Id(14)] public string? TrainerUrl { get; init; }

    /// <summary>Hours between SCHEDULED retraining jobs; 0 turns scheduling off.</summary>
    [Id(15)] public int RetrainIntervalHours { get; init; }

    public static MonitorConfig Default { get; } = new();
}

/// <summary>A partial update of <see cref="MonitorConfig"/>: null fields keep their value.</summary>
[GenerateSerializer, Immutable, Alias("MonitorConfigPatch")]
public sealed record MonitorConfigPatch
{
    [Id(0)] public int? CheckIntervalMinutes { get; init; }
    [Id(1)] public double? WarningDegradation { get; init; }
    [Id(2)] public double? CriticalDegradation { get; init; }
    [Id(3)] public int? MinSamples { get; init; }
    [Id(4)] public int? ReferenceSize { get; init; }
    [Id(5)] public int? WindowSize { get; init; }
    [Id(6)] public double? KsAlpha { get; init; }
    [Id(7)] public double? DistanceThreshold { get; init; }
    [Id(8)] public double? DriftShareThreshold { get; init; }
    [Id(9)] public int? NoDataMinutes { get; init; }
    [Id(10)] public bool? AutoRetrain { get; init; }
    [Id(11)] public int? RetrainCooldownMinutes { get; init; }
    [Id(12)] public PromotionPolicy? PromotionPolicy { get; init; }
    [Id(13)] public string? PositiveLabel { get; init; }
    [Id(14)] public string? TrainerUrl { get; init; }

    /// <summary>True when the client set trainerUrl to null explicitly: back to the built-in trainer.</summary>
    [Id(15)] public bool ClearTrainerUrl { get; init; }

    [Id(16)] public int? RetrainIntervalHours { get; init; }
}
