using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.AbTests;

/// <summary>
/// An A/B test's results from its arms' moments (SEMANTICS.md, A/B tests): Welch's test, the lift, the always-valid
/// sequential p-value, sample ratio mismatch, and the decision. Pure, so that simulations run exactly what a test does.
/// </summary>
public static class AbTestJudgement
{
    /// <summary>The significance level of the sequential p-value that decides a test.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// The sequential p-value is read only once each arm has this many outcomes: before, the arms' standard
    /// deviations are too rough an estimate of the variance the mixture test assumes known, and early readings
    /// would drop below alpha more often than alpha.
    /// </summary>
    public const int SequentialWarmUp = 20;

    public static bool LowerIsBetter(Metric metric) => metric is Metric.Rmse or Metric.Mae or Metric.Mape;

    /// <summary>The running minimum of the mixture SPRT p-value after new outcomes.</summary>
    public static double? NextSequentialPValue(double? previous, ArmMoments a, ArmMoments b) =>
        a.Count < SequentialWarmUp || b.Count < SequentialWarmUp
            ? previous
            : AbStatistics.NextSequentialPValue(previous, Summary(a), Summary(b));

    public static AbTestResults Results(AbTest test, ArmMoments a, ArmMoments b, double? sequentialPValue)
    {
        var sa = Summary(a);
        var sb = Summary(b);
        var welch = AbStatistics.Welch(sa, sb);
        double? srmPValue = a.Count + b.Count == 0 ? null : AbStatistics.SampleRatioMismatchPValue(a.Count, b.Count, test.TrafficSplit);
        var srm = AbStatistics.SampleRatioMismatch(a.Count, b.Count, test.TrafficSplit);
        AbArm? winner = null;
        string decision;
        if (a.Count < test.MinSamplesPerArm || b.Count < test.MinSamplesPerArm)
        {
            decision = "insufficient data";
        }
        else if (srm)
        {
            decision = "sample ratio mismatch";
        }
        else if (sequentialPValue < Alpha && a.Mean != b.Mean)
        {
            winner = (b.Mean < a.Mean) == test.LowerIsBetter ? AbArm.B : AbArm.A;
            decision = winner == AbArm.B ? "B is better" : "A is better";
        }
        else
        {
            decision = "no significant difference";
        }
        return new AbTestResults(
            Arm(AbArm.A, test.VersionA, a),
            Arm(AbArm.B, test.VersionB, b),
            a.Count > 0 && b.Count > 0 ? b.Mean - a.Mean : null,
            a.Count > 0 && b.Count > 0 ? AbStatistics.RelativeLift(sa, sb) : null,
            welch?.ConfidenceLow,
            welch?.ConfidenceHigh,
            welch?.T,
            welch?.PValue,
            sequentialPValue,
            srmPValue,
            srm,
            sequentialPValue is { } p ? 1 - p : 0,
            winner,
            decision);
    }

    private static AbArmResult Arm(AbArm arm, string version, ArmMoments moments) =>
        new(arm, version, (int)Math.Min(moments.Count, int.MaxValue), moments.Mean, moments.StandardDeviation);

    private static ArmSummary Summary(ArmMoments m) => new(m.Count, m.Mean, m.StandardDeviation);
}
