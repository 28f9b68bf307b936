using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

namespace ModelPerformance.Grains.AbTests;

/// <summary>
/// One A/B test between two versions of a monitor's model (SEMANTICS.md, A/B tests). Calls change <see cref="live"/>
/// within one turn and then wait for a save that includes their change; saves are made one at a time, each of a copy
/// of the state, so outcomes that arrive together are committed together. The row in <c>model_ab_tests</c> and the
/// <c>abTestUpdated</c> event follow at start and end at once, and about once a second while results change. The test
/// ends at <c>endsAt</c> by a timer, or by a reminder on a survivor if its silo dies; then the monitor, told once,
/// raises AB_TEST_COMPLETED and promotes B when the test says so.
/// </summary>
public sealed class AbTestGrain(
    [PersistentState("ab-test")] IPersistentState<AbTestState> persisted,
    IAbTestStore store,
    IEventPublisher events,
    IOptions<MonitorOptions> options,
    TimeProvider clock,
    ILogger<AbTestGrain> logger) : Grain, IAbTestGrain, IRemindable
{
    private const string EndReminder = "end";
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    /// <summary>The state calls change; what is saved is a copy of it, so a save in flight never sees a change half made.</summary>
    private AbTestState live = new();

    private long changes;
    private long savedChanges;
    private Task? writing;

    /// <summary>Results changed since the last event and row.</summary>
    private bool unpublished;

    /// <summary>
    /// An offer arrived since the timer last asked the monitor: outcomes are flowing, and the monitor may hold some back
    /// (it offers at most every <see cref="MonitorAbTests.OfferInterval"/>), so the next tick fetches them.
    /// </summary>
    private bool offeredSincePull;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        live = persisted.State.Copy();
        if (live.Test is { Status: AbTestStatus.Running } test)
        {
            // Prediction outcomes may be newer in the monitor than in the saved copy.
            await PullPredictionsAsync();
            if (Refresh())
            {
                this.RegisterGrainTimer(_ => FinishAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
            }
            else
            {
                ScheduleEnd(test);
            }
        }
        this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(PublishInterval, PublishInterval));
    }

    public async Task<AbTest> StartAsync(AbTestDefinition definition)
    {
        if (live.Test is { } existing)
        {
            return existing;
        }
        var now = Now();
        var test = new AbTest(this.GetPrimaryKey(), definition.ModelId, definition.MachineId, definition.VersionA, definition.VersionB,
            definition.TrafficSplit, definition.PrimaryMetric, AbTestJudgement.LowerIsBetter(definition.PrimaryMetric), AbTestStatus.Running,
            now, now + definition.DurationHours * 60 * options.Value.CheckIntervalUnit, null, definition.MinSamplesPerArm, definition.AutoPromote,
            Results: null!);
        live.Test = test with { Results = AbTestJudgement.Results(test, ArmMoments.Empty, ArmMoments.Empty, null) };
        changes++;
        await SaveAsync();
        await PublishNowAsync();
        await this.RegisterOrUpdateReminder(EndReminder, ReminderPeriod, ReminderPeriod);
        ScheduleEnd(live.Test);
        logger.LogInformation("A/B test {Test} of {Model}/{Machine} started: {A} vs {B}", test.Id, test.ModelId, test.MachineId, test.VersionA, test.VersionB);
        return live.Test;
    }

    public Task<AbTest?> GetAsync() => Task.FromResult(live.Test);

    public async Task<AbTest> RecordOutcomesAsync(AbOutcomeBatch batch)
    {
        Running("testId");
        live.RecordedA = live.RecordedA.Merge(batch.A);
        live.RecordedB = live.RecordedB.Merge(batch.B);
        var decided = Refresh();
        await SaveAsync();
        if (decided)
        {
            await EndedAsync();
        }
        return live.Test!;
    }

    public async Task OfferPredictionOutcomesAsync(PredictionOutcomes outcomes)
    {
        if (live.Test is not { Status: AbTestStatus.Running } || outcomes.Seq <= live.Predicted.Seq)
        {
            return;
        }
        live.Predicted = outcomes;
        offeredSincePull = true;
        if (Refresh())
        {
            await FinishAsync();
        }
    }

    public async Task<AbTest> StopAsync()
    {
        var test = Running("id");
        live.Test = test with { Status = AbTestStatus.Stopped, CompletedAt = Now() };
        changes++;
        await FinishAsync();
        return live.Test;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (live.Test)
        {
            case { Status: AbTestStatus.Running }:
                await EndIfDueAsync();
                break;
            case not null when !live.MonitorNotified:
                await NotifyMonitorAsync();
                break;
            default:
                await UnregisterEndAsync();
                break;
        }
    }

    /// <summary>The running test, or the error a call on an unknown or ended one gets, naming <paramref name="field"/>.</summary>
    private AbTest Running(string field) => live.Test switch
    {
        null => throw ServiceException.NotFound($"no A/B test {this.GetPrimaryKey()}", field),
        { Status: AbTestStatus.Running } test => test,
        var test => throw ServiceException.Conflict($"A/B test {test.Id} has already ended as {Names.Of(test.Status)}", field),
    };

    /// <summary>
    /// Recomputes the results from both sources of outcomes; a test decided by its sequential p-value completes
    /// (true is returned, and the caller saves and ends it).
    /// </summary>
    private bool Refresh()
    {
        var test = live.Test!;
        var a = live.RecordedA.Merge(live.Predicted.A);
        var b = live.RecordedB.Merge(live.Predicted.B);
        live.SequentialPValue = AbTestJudgement.NextSequentialPValue(live.SequentialPValue, a, b);
        var results = AbTestJudgement.Results(test, a, b, live.SequentialPValue);
        live.Test = test with { Results = results };
        changes++;
        unpublished = true;
        if (results.Winner is null)
        {
            return false;
        }
        live.Test = live.Test with { Status = AbTestStatus.Completed, CompletedAt = Now() };
        return true;
    }

    /// <summary>A timer for endsAt, or for a day ahead when it is further (a timer's due time has a limit of about 49 days).</summary>
    private void ScheduleEnd(AbTest test)
    {
        var due = test.EndsAt!.Value - Now();
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxTimerDue ? MaxTimerDue : due;
        this.RegisterGrainTimer(_ => EndIfDueAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
    }

    /// <summary>At endsAt the test completes, with a winner only if the sequential p-value says so.</summary>
    private async Task EndIfDueAsync()
    {
        if (live.Test is not { Status: AbTestStatus.Running } test)
        {
            return;
        }
        if (Now() < test.EndsAt)
        {
            // A timer may fire a little early, or a day ahead of a far endsAt: wait for the rest.
            ScheduleEnd(test);
            return;
        }
        await PullPredictionsAsync();
        if (live.Test.Status != AbTestStatus.Running)
        {
            return;
        }
        if (!Refresh())
        {
            live.Test = live.Test with { Status = AbTestStatus.Completed, CompletedAt = Now() };
        }
        await FinishAsync();
    }

    private async Task FinishAsync()
    {
        await SaveAsync();
        await EndedAsync();
    }

    /// <summary>An ended test: its row and event at once, then the monitor.</summary>
    private async Task EndedAsync()
    {
        var test = live.Test!;
        await PublishNowAsync();
        logger.LogInformation("A/B test {Test} of {Model}/{Machine} ended {Status}: {Decision}", test.Id, test.ModelId, test.MachineId,
            Names.Of(test.Status), test.Results.Decision);
        await NotifyMonitorAsync();
    }

    /// <summary>The monitor promotes and raises the alert; when it cannot be reached, the reminder tries again.</summary>
    private async Task NotifyMonitorAsync()
    {
        var test = live.Test!;
        try
        {
            await Monitor(test).AbTestEndedAsync(test);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A/B test {Test} could not tell its monitor that it ended; the reminder tries again", test.Id);
            return;
        }
        live.MonitorNotified = true;
        changes++;
        await SaveAsync();
        await UnregisterEndAsync();
    }

    private async Task PullPredictionsAsync()
    {
        var test = live.Test!;
        try
        {
            if (await Monitor(test).GetAbOutcomesAsync(test.Id) is { } outcomes && outcomes.Seq > live.Predicted.Seq)
            {
                live.Predicted = outcomes;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A/B test {Test} could not read its monitor's prediction outcomes; it goes on with those it has", test.Id);
        }
    }

    /// <summary>Waits until a save includes every change made so far; one save is in flight at a time.</summary>
    private async Task SaveAsync()
    {
        var target = changes;
        while (savedChanges < target)
        {
            var current = writing ??= WriteAsync();
            try
            {
                await current;
            }
            finally
            {
                if (writing == current)
                {
                    writing = null;
                }
            }
        }
    }

    private async Task WriteAsync()
    {
        var upTo = changes;
        persisted.State = live.Copy();
        try
        {
            await persisted.WriteStateAsync();
        }
        catch
        {
            // What this activation holds is ahead of storage now: the next one starts from what was saved.
            DeactivateOnIdle();
            throw;
        }
        savedChanges = upTo;
    }

    /// <summary>Every second: outcomes the monitor held back while they flowed, the row and the event when results changed, and the state when outcomes from predictions are unsaved.</summary>
    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (offeredSincePull && live.Test is { Status: AbTestStatus.Running })
        {
            offeredSincePull = false;
            var seq = live.Predicted.Seq;
            await PullPredictionsAsync();
            if (live.Test.Status == AbTestStatus.Running && live.Predicted.Seq > seq && Refresh())
            {
                await FinishAsync();
                return;
            }
        }
        if (unpublished)
        {
            await PublishNowAsync();
        }
        if (savedChanges < changes)
        {
            await SaveAsync();
        }
    }

    private async Task PublishNowAsync()
    {
        var test = live.Test!;
        unpublished = false;
        await store.SaveAsync(test);
        await events.PublishAsync(new AbTestUpdated(test));
    }

    private async Task UnregisterEndAsync()
    {
        if (await this.GetReminder(EndReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private TimeSpan ReminderPeriod => options.Value.RecoveryReminderPeriod;

    private IModelMonitorGrain Monitor(AbTest test) => GrainFactory.GetGrain<IModelMonitorGrain>(new MonitorKey(test.ModelId, test.MachineId).ToString());

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
