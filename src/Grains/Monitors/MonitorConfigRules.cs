using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>Merges a configuration patch and checks the result, naming the offending setting (the API adds its argument's path).</summary>
public static class MonitorConfigRules
{
    public const int MinWindowSize = 10;
    public const int MaxWindowSize = 100_000;
    public const int MaxRetrainIntervalHours = 8_760;

    /// <summary>Checks each setting the patch gives against its own range, before anything is merged or stored.</summary>
    public static void CheckFields(MonitorConfigPatch patch)
    {
        Check(patch.CheckIntervalMinutes is null or (>= 1 and <= 10_080), "checkIntervalMinutes", "must be between 1 and 10080 (a week)");
        Check(patch.WarningDegradation is not { } w || (double.IsFinite(w) && w > 0), "warningDegradation", "must be a positive number");
        Check(patch.CriticalDegradation is not { } c || (double.IsFinite(c) && c > 0), "criticalDegradation", "must be a positive number");
        Check(patch.MinSamples is null or (>= 1 and <= MaxWindowSize), "minSamples", $"must be between 1 and {MaxWindowSize}");
        Check(patch.ReferenceSize is null or (>= MinWindowSize and <= MaxWindowSize), "referenceSize", $"must be between {MinWindowSize} and {MaxWindowSize}");
        Check(patch.WindowSize is null or (>= MinWindowSize and <= MaxWindowSize), "windowSize", $"must be between {MinWindowSize} and {MaxWindowSize}");
        Check(patch.KsAlpha is null or (> 0 and < 1), "ksAlpha", "must be strictly between 0 and 1");
        Check(patch.DistanceThreshold is not { } d || (double.IsFinite(d) && d > 0), "distanceThreshold", "must be a positive number");
        Check(patch.DriftShareThreshold is null or (> 0 and <= 1), "driftShareThreshold", "must be in (0, 1]");
        Check(patch.NoDataMinutes is null or >= 0, "noDataMinutes", "must be 0 (off) or more");
        Check(patch.RetrainCooldownMinutes is null or >= 0, "retrainCooldownMinutes", "must be 0 or more");
        Check(patch.RetrainIntervalHours is null or (>= 0 and <= MaxRetrainIntervalHours), "retrainIntervalHours", $"must be between 0 (off) and {MaxRetrainIntervalHours} (a year)");
        Check(patch.PositiveLabel is null || patch.PositiveLabel.Length is >= 1 and <= 256, "positiveLabel", "must be 1 to 256 characters");
        Check(patch.TrainerUrl is null
              || (Uri.TryCreate(patch.TrainerUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)),
            "trainerUrl", "must be an absolute http or https URL");
    }

    /// <summary>Merges the patch into the current settings; the result must keep warning at most critical.</summary>
    public static MonitorConfig Apply(MonitorConfig current, MonitorConfigPatch patch)
    {
        CheckFields(patch);
        var merged = new MonitorConfig
        {
            CheckIntervalMinutes = patch.CheckIntervalMinutes ?? current.CheckIntervalMinutes,
            WarningDegradation = patch.WarningDegradation ?? current.WarningDegradation,
            CriticalDegradation = patch.CriticalDegradation ?? current.CriticalDegradation,
            MinSamples = patch.MinSamples ?? current.MinSamples,
            ReferenceSize = patch.ReferenceSize ?? current.ReferenceSize,
            WindowSize = patch.WindowSize ?? current.WindowSize,
            KsAlpha = patch.KsAlpha ?? current.KsAlpha,
            DistanceThreshold = patch.DistanceThreshold ?? current.DistanceThreshold,
            DriftShareThreshold = patch.DriftShareThreshold ?? current.DriftShareThreshold,
            NoDataMinutes = patch.NoDataMinutes ?? current.NoDataMinutes,
            AutoRetrain = patch.AutoRetrain ?? current.AutoRetrain,
            RetrainCooldownMinutes = patch.RetrainCooldownMinutes ?? current.RetrainCooldownMinutes,
            RetrainIntervalHours = patch.RetrainIntervalHours ?? current.RetrainIntervalHours,
            PromotionPolicy = patch.PromotionPolicy ?? current.PromotionPolicy,
            PositiveLabel = patch.PositiveLabel ?? current.PositiveLabel,
            TrainerUrl = patch.ClearTrainerUrl ? null : patch.TrainerUrl ?? current.TrainerUrl,
        };
        Check(merged.CriticalDegradation >= merged.WarningDegradation, "criticalDegradation", "must be at least warningDegradation");
        return merged;
    }

    private static void Check(bool valid, string field, string rule)
    {
        if (!valid)
        {
            throw ServiceException.BadInput($"{field} {rule}", field);
        }
    }
}
