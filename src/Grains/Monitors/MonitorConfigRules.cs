using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>Merges a configuration patch and checks the result, naming the offending field under <c>config</c>.</summary>
public static class MonitorConfigRules
{
    public const int MaxWindowSize = 100_000;

    public static MonitorConfig Apply(MonitorConfig current, MonitorConfigPatch patch)
    {
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
            PromotionPolicy = patch.PromotionPolicy ?? current.PromotionPolicy,
            PositiveLabel = patch.PositiveLabel ?? current.PositiveLabel,
            TrainerUrl = patch.TrainerUrl ?? current.TrainerUrl,
        };
        Check(merged.CheckIntervalMinutes is >= 1 and <= 10_080, "checkIntervalMinutes", "must be between 1 and 10080 (a week)");
        Check(double.IsFinite(merged.WarningDegradation) && merged.WarningDegradation > 0, "warningDegradation", "must be a positive number");
        Check(double.IsFinite(merged.CriticalDegradation) && merged.CriticalDegradation >= merged.WarningDegradation, "criticalDegradation", "must be at least warningDegradation");
        Check(merged.MinSamples is >= 1 and <= MaxWindowSize, "minSamples", $"must be between 1 and {MaxWindowSize}");
        Check(merged.ReferenceSize is >= 10 and <= MaxWindowSize, "referenceSize", $"must be between 10 and {MaxWindowSize}");
        Check(merged.WindowSize is >= 10 and <= MaxWindowSize, "windowSize", $"must be between 10 and {MaxWindowSize}");
        Check(merged.KsAlpha is > 0 and < 1, "ksAlpha", "must be strictly between 0 and 1");
        Check(double.IsFinite(merged.DistanceThreshold) && merged.DistanceThreshold > 0, "distanceThreshold", "must be a positive number");
        Check(merged.DriftShareThreshold is > 0 and <= 1, "driftShareThreshold", "must be in (0, 1]");
        Check(merged.NoDataMinutes >= 0, "noDataMinutes", "must be 0 (off) or more");
        Check(merged.RetrainCooldownMinutes >= 0, "retrainCooldownMinutes", "must be 0 or more");
        Check(merged.PositiveLabel.Length is >= 1 and <= 256, "positiveLabel", "must be 1 to 256 characters");
        Check(merged.TrainerUrl is null
              || (Uri.TryCreate(merged.TrainerUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)),
            "trainerUrl", "must be an absolute http or https URL");
        return merged;
    }

    private static void Check(bool valid, string field, string rule)
    {
        if (!valid)
        {
            throw ServiceException.BadInput($"config.{field} {rule}", "config", field);
        }
    }
}
