using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// Which conditions hold (SEMANTICS.md, Alerts): degradation after each ingestion and at each check, data drift
/// from a check's report, concept drift when the detector fired, missing data at each check. It decides; the
/// <see cref="MonitorAlerts"/> lifecycle opens, escalates and resolves.
/// </summary>
internal sealed class MonitorJudgement(Func<ModelMonitorState> state, MonitorAlerts alerts, Func<MonitorSnapshot> snapshot, TimeSpan minute)
{
    private ModelMonitorState State => state();

    /// <summary>After ingestion: a concept detector that fired opens its alert, and degradation is judged at once; true when an alert changed.</summary>
    public async Task<bool> AfterIngestionAsync(bool conceptFired, bool hasBaseline)
    {
        var changed = false;
        if (conceptFired)
        {
            await alerts.RaiseAsync(AlertType.ConceptDrift, Severity.Warning,
                $"concept drift: the {PageHinkleyDetector.AlgorithmName} detector fired on the error stream", new { detector = PageHinkleyDetector.AlgorithmName });
            changed = true;
        }
        // Without a baseline there is nothing to degrade from, and ingestion need not compute the window's metrics.
        if (hasBaseline || State.OpenAlerts.ContainsKey(AlertType.Degradation))
        {
            changed |= await DegradationAsync();
        }
        if (State.OpenAlerts.ContainsKey(AlertType.NoData))
        {
            await alerts.ClearAsync(AlertType.NoData);
            changed = true;
        }
        return changed;
    }

    /// <summary>The periodic check's verdicts on a drift report just made.</summary>
    public async Task AfterCheckAsync(DriftReport report, DateTime now)
    {
        if (report.SkippedReason is null)
        {
            if (report.DriftDetected)
            {
                var drifted = report.Features.Where(f => f.Drifted).Select(f => f.Feature).ToList();
                await alerts.RaiseAsync(AlertType.DataDrift, Severity.Warning,
                    $"data drift in {drifted.Count} of {report.Features.Count} features ({string.Join(", ", drifted)})",
                    new { report.DriftScore, drifted });
            }
            else
            {
                await alerts.ClearAsync(AlertType.DataDrift);
            }
        }
        if (!report.ConceptDrift.Detected)
        {
            await alerts.ClearAsync(AlertType.ConceptDrift);
        }
        await DegradationAsync();
        await NoDataAsync(now);
    }

    /// <summary>Opens, escalates or clears the DEGRADATION alert from the degradation statuses; true when it acted.</summary>
    public async Task<bool> DegradationAsync()
    {
        var judged = snapshot().Degradation.Where(d => d.Status != HealthStatus.Unknown).ToList();
        if (judged.Count == 0)
        {
            return false;
        }
        var worst = judged.Max(d => d.Status);
        if (worst is HealthStatus.Warning or HealthStatus.Critical)
        {
            var bad = judged.Where(d => d.Status == worst).ToList();
            await alerts.RaiseAsync(AlertType.Degradation, worst == HealthStatus.Critical ? Severity.Critical : Severity.Warning,
                $"{Names.Of(worst)} degradation of {string.Join(", ", bad.Select(d => $"{Names.Of(d.Metric)} ({d.RelativeChange:P1} worse)"))}",
                judged.Select(d => new { metric = Names.Of(d.Metric), d.Baseline, d.Current, d.RelativeChange, status = Names.Of(d.Status) }));
            return true;
        }
        if (State.OpenAlerts.ContainsKey(AlertType.Degradation))
        {
            await alerts.ClearAsync(AlertType.Degradation);
            return true;
        }
        return false;
    }

    private async Task NoDataAsync(DateTime now)
    {
        var limit = State.Config.NoDataMinutes * minute;
        var last = State.LastDataAt ?? State.CreatedAt;
        if (State.Config.NoDataMinutes > 0 && now - last >= limit)
        {
            await alerts.RaiseAsync(AlertType.NoData, Severity.Warning,
                $"no data for {State.Config.NoDataMinutes} minutes (last at {last:O})", new { lastDataAt = last });
        }
        else
        {
            await alerts.ClearAsync(AlertType.NoData);
        }
    }
}
