using ModelPerformance.Grains.Trainers;

namespace ModelPerformance.Grains.Statistics;

/// <summary>Where one metric is heading (SEMANTICS.md, forecast): a Theil-Sen line over time and when it crosses the alert levels.</summary>
public sealed record ForecastLine(
    double SlopePerDay,
    double Now,
    double Projected,
    DateTime? WarningAt,
    DateTime? CriticalAt,
    int Evaluations);

/// <summary>
/// Fits <c>scipy.stats.theilslopes(y, x)</c> with x in days since the first evaluation, and reads the line at the
/// present, at the horizon and where it reaches baseline * (1 ± degradation) in the bad direction.
/// </summary>
public static class DegradationForecast
{
    /// <summary>Fewest evaluations a forecast rests on.</summary>
    public const int MinEvaluations = 10;

    /// <summary>A crossing further away than this is no crossing.</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(365);

    /// <summary>Null with fewer than <see cref="MinEvaluations"/> points or when they all share one time.</summary>
    public static ForecastLine? Fit(IReadOnlyList<(DateTime At, double Value)> points, MetricKind metric, double baseline,
        double warningDegradation, double criticalDegradation, DateTime now, int horizonHours)
    {
        if (points.Count < MinEvaluations)
        {
            return null;
        }
        var first = points.Min(p => p.At);
        var x = points.Select(p => (p.At - first).TotalDays).ToArray();
        if (x.Distinct().Count() < 2)
        {
            return null;
        }
        var y = points.Select(p => p.Value).ToArray();
        var (slope, intercept) = TheilSen.Fit(x, y);
        var xNow = (now - first).TotalDays;
        var valueNow = intercept + slope * xNow;
        var projected = intercept + slope * (xNow + horizonHours / 24.0);
        var lowerIsBetter = Degradation.LowerIsBetter(metric);
        DateTime? Crossing(double degradation)
        {
            var level = lowerIsBetter ? baseline * (1 + degradation) : baseline * (1 - degradation);
            if (lowerIsBetter ? valueNow >= level : valueNow <= level)
            {
                return now;
            }
            if (lowerIsBetter ? slope <= 0 : slope >= 0)
            {
                return null;
            }
            var days = (level - intercept) / slope - xNow;
            return days > Reach.TotalDays ? null : now + TimeSpan.FromDays(days);
        }
        return new ForecastLine(slope, valueNow, projected, Crossing(warningDegradation), Crossing(criticalDegradation), points.Count);
    }
}
