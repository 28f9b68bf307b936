using ModelPerformance.Grains.AbTests;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// A monitor's side of A/B tests (SEMANTICS.md, A/B tests and A/B outcomes from predictions): at most one runs; its
/// two versions' prediction samples become outcomes here, in the same code for live calls and replay, and are offered
/// to the test after each call that added some.
/// </summary>
internal sealed class MonitorAbTests(MonitorKey key, Func<ModelMonitorState> state, IGrainFactory grains, MonitorVersions versions, TimeProvider clock)
{
    public const int MaxDurationHours = 90 * 24;

    /// <summary>
    /// A busy monitor offers its outcomes at most this often: a message per call cost ingestion several percent. What
    /// is held back the test fetches with its next timer tick, since it knows outcomes are flowing.
    /// </summary>
    public static readonly TimeSpan OfferInterval = TimeSpan.FromMilliseconds(250);

    private DateTimeOffset offeredAt;

    private ModelMonitorState State => state();

    /// <summary>Set when applied rows added outcomes the test has not been offered yet.</summary>
    private bool unoffered;

    /// <summary>Checks the definition, refuses a second running test, and starts it.</summary>
    public async Task<AbTest> StartAsync(AbTestDefinition definition)
    {
        Check(definition);
        foreach (var (version, field) in new[] { (definition.VersionA, "versionA"), (definition.VersionB, "versionB") })
        {
            if (!await versions.HasAsync(version))
            {
                throw ServiceException.NotFound($"monitor {key} has no version '{version}': register it first", field);
            }
        }
        if (State.ActiveAbTest is { } active)
        {
            if (await grains.GetGrain<IAbTestGrain>(active.Id).GetAsync() is { Status: AbTestStatus.Running })
            {
                throw ServiceException.Conflict(
                    $"monitor {key} already runs A/B test {active.Id} ({active.VersionA} vs {active.VersionB}): stop it or wait for it to end", "modelId");
            }
            // The test ended without the monitor hearing of it (its notice is still on the way).
            State.ActiveAbTest = null;
        }
        var id = Guid.CreateVersion7();
        var test = await grains.GetGrain<IAbTestGrain>(id).StartAsync(definition);
        State.ActiveAbTest = new ActiveAbTest(id, definition.VersionA, definition.VersionB, definition.PrimaryMetric);
        State.AbOutcomesA = ArmMoments.Empty;
        State.AbOutcomesB = ArmMoments.Empty;
        return test;
    }

    /// <summary>Prediction samples of either version are outcomes of its arm.</summary>
    public void Apply(PredictionBatchRow batch)
    {
        if (State.ActiveAbTest is not { } test || batch.ModelVersion is not { } version || (version != test.VersionA && version != test.VersionB)
            || !PredictionOutcome.FromPredictions(test.PrimaryMetric))
        {
            return;
        }
        var moments = ArmMoments.Empty;
        foreach (var sample in batch.Samples)
        {
            if (PredictionOutcome.Of(test.PrimaryMetric, sample) is { } outcome)
            {
                moments = moments.Add(outcome);
            }
        }
        if (version == test.VersionA)
        {
            State.AbOutcomesA = State.AbOutcomesA.Merge(moments);
        }
        else
        {
            State.AbOutcomesB = State.AbOutcomesB.Merge(moments);
        }
        unoffered |= moments.Count > 0;
    }

    /// <summary>After a call's rows are committed: the test hears of its new outcomes, without the call waiting for it.</summary>
    public void Offer()
    {
        if (unoffered && State.ActiveAbTest is { } test && clock.GetUtcNow() - offeredAt >= OfferInterval)
        {
            unoffered = false;
            offeredAt = clock.GetUtcNow();
            _ = grains.GetGrain<IAbTestGrain>(test.Id).OfferPredictionOutcomesAsync(Outcomes(test.Id)!);
        }
    }

    /// <summary>The running test's outcomes from predictions; null for another test.</summary>
    public PredictionOutcomes? Outcomes(Guid testId) =>
        State.ActiveAbTest?.Id == testId ? new PredictionOutcomes(State.LastSeq, State.AbOutcomesA, State.AbOutcomesB) : null;

    /// <summary>
    /// A test ended: it stops taking samples; the first time its end is heard of, a COMPLETED test raises AB_TEST_COMPLETED
    /// and, with autoPromote and winner B, B is promoted. True when something changed.
    /// </summary>
    public async Task<bool> EndedAsync(AbTest test, MonitorAlerts alerts, Func<string, Task> promote)
    {
        if (!Forget(test))
        {
            return false;
        }
        if (test.Status == AbTestStatus.Completed)
        {
            // Each completed test is an alert of its own: an earlier one still open is closed first.
            await alerts.ClearAsync(AlertType.AbTestCompleted);
            await alerts.RaiseAsync(AlertType.AbTestCompleted, Severity.Info,
                $"A/B test {test.Id} ({test.VersionA} vs {test.VersionB}) completed: {test.Results.Decision}",
                new { testId = test.Id, winner = test.Results.Winner is { } w ? Names.Of(w) : null, decision = test.Results.Decision });
            if (test.AutoPromote && test.Results.Winner == AbArm.B && State.ActiveVersion != test.VersionB)
            {
                await promote(test.VersionB);
            }
        }
        return true;
    }

    /// <summary>True the first time this test's end is heard of.</summary>
    private bool Forget(AbTest test)
    {
        if (State.ActiveAbTest?.Id == test.Id)
        {
            State.ActiveAbTest = null;
            State.AbOutcomesA = ArmMoments.Empty;
            State.AbOutcomesB = ArmMoments.Empty;
        }
        if (State.LastEndedAbTestId == test.Id)
        {
            return false;
        }
        State.LastEndedAbTestId = test.Id;
        return true;
    }

    /// <summary>The rules of a definition that need no registry: each names its field.</summary>
    private void Check(AbTestDefinition definition)
    {
        if (definition.VersionA == definition.VersionB)
        {
            throw ServiceException.BadInput("versionB must differ from versionA", "versionB");
        }
        if (!(definition.TrafficSplit > 0 && definition.TrafficSplit < 1))
        {
            throw ServiceException.BadInput($"trafficSplit must be strictly between 0 and 1, not {definition.TrafficSplit}", "trafficSplit");
        }
        if (definition.MinSamplesPerArm < 2)
        {
            throw ServiceException.BadInput($"minSamplesPerArm must be at least 2, not {definition.MinSamplesPerArm}", "minSamplesPerArm");
        }
        if (definition.DurationHours is < 1 or > MaxDurationHours)
        {
            throw ServiceException.BadInput($"durationHours must be 1 to {MaxDurationHours} (90 days), not {definition.DurationHours}", "durationHours");
        }
        if (State.Task is { } task && MetricTask(definition.PrimaryMetric) != task)
        {
            throw ServiceException.BadInput(
                $"primaryMetric {Names.Of(definition.PrimaryMetric)} is not a {Names.Of(task)} metric, as monitor {key} is", "primaryMetric");
        }
    }

    private static ModelTask MetricTask(Metric metric) =>
        metric is Metric.RSquared or Metric.Rmse or Metric.Mae or Metric.Mape ? ModelTask.Regression : ModelTask.Classification;
}
