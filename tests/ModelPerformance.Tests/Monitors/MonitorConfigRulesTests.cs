using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

namespace ModelPerformance.Tests.Monitors;

public sealed class MonitorConfigRulesTests
{
    [Fact]
    public void A_warning_threshold_above_the_merged_critical_one_is_rejected_at_critical()
    {
        var current = MonitorConfig.Default with { CriticalDegradation = 0.5 };

        var accepted = MonitorConfigRules.Apply(current, new MonitorConfigPatch { WarningDegradation = 0.3 });
        var error = Assert.Throws<ServiceException>(() => MonitorConfigRules.Apply(current, new MonitorConfigPatch { WarningDegradation = 0.6 }));

        Assert.Equal((0.3, 0.5), (accepted.WarningDegradation, accepted.CriticalDegradation));
        Assert.Equal(["criticalDegradation"], error.Path);
    }

    [Fact]
    public void Trainer_url_is_kept_when_absent_replaced_when_given_and_cleared_on_request()
    {
        var current = MonitorConfig.Default with { TrainerUrl = "http://trainer/jobs" };

        Assert.Equal("http://trainer/jobs", MonitorConfigRules.Apply(current, new MonitorConfigPatch()).TrainerUrl);
        Assert.Equal("https://other/jobs", MonitorConfigRules.Apply(current, new MonitorConfigPatch { TrainerUrl = "https://other/jobs" }).TrainerUrl);
        Assert.Null(MonitorConfigRules.Apply(current, new MonitorConfigPatch { ClearTrainerUrl = true }).TrainerUrl);
    }
}
