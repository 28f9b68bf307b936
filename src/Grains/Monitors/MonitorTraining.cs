using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// A monitor's side of retraining (SEMANTICS.md, Retraining and versions): at most one active job, which trains on
/// the champion's window; a candidate is registered as <c>&lt;activeVersion&gt;.r&lt;n&gt;</c> and judged by the promotion policy.
/// </summary>
internal sealed class MonitorTraining(MonitorKey key, Func<ModelMonitorState> state, IGrainFactory grains, MonitorVersions versions, MonitorAbTests abTests,
    TimeProvider clock)
{
    /// <summary>AUTO_IF_BETTER promotes a candidate whose improvement exceeds this.</summary>
    public const double PromotionMargin = 0.01;

    private ModelMonitorState State => state();

    /// <summary>The active job, or a new one started with the window's samples.</summary>
    public async Task<TrainingJob> TriggerAsync(TrainingTrigger trigger, string? reason)
    {
        if (State.ActiveJobId is { } activeId && await grains.GetGrain<ITrainingJobGrain>(activeId).GetAsync() is { } active
            && active.Status is TrainingStatus.Pending or TrainingStatus.Running)
        {
            return active;
        }
        var id = Guid.CreateVersion7();
        State.ActiveJobId = id;
        State.LastJobStartedAt = clock.GetUtcNow().UtcDateTime;
        var request = new TrainingRequest(key.ModelId, key.MachineId, trigger, reason, State.ActiveVersion, State.Task,
            State.Config.PositiveLabel, State.Window.Samples(), State.Config.TrainerUrl);
        return await grains.GetGrain<ITrainingJobGrain>(id).StartAsync(request);
    }

    /// <summary>
    /// With autoRetrain, a CRITICAL degradation or any drift alert that opens starts a job, unless one is active or
    /// the last began less than retrainCooldownMinutes ago; the answer is the alert's autoAction.
    /// </summary>
    public async Task<string?> AutoRetrainAsync(AlertType type, Severity severity, string message, TimeSpan minute)
    {
        TrainingTrigger? trigger = type switch
        {
            AlertType.DataDrift or AlertType.ConceptDrift => TrainingTrigger.Drift,
            AlertType.Degradation when severity == Severity.Critical => TrainingTrigger.Degradation,
            _ => null,
        };
        if (!State.Config.AutoRetrain || trigger is null || State.ActiveJobId is not null
            || (State.LastJobStartedAt is { } last && clock.GetUtcNow().UtcDateTime - last < State.Config.RetrainCooldownMinutes * minute))
        {
            return null;
        }
        var job = await TriggerAsync(trigger.Value, message);
        return $"retrain:{job.Id}";
    }

    /// <summary>
    /// At a periodic check: a SCHEDULED job when retrainIntervalHours have passed since the last job began (or since
    /// the monitor's creation) and none is active; true when one started.
    /// </summary>
    public async Task<bool> ScheduledAsync(TimeSpan minute)
    {
        var hours = State.Config.RetrainIntervalHours;
        var since = State.LastJobStartedAt ?? State.CreatedAt;
        if (hours == 0 || State.ActiveJobId is not null || clock.GetUtcNow().UtcDateTime - since < hours * 60 * minute)
        {
            return false;
        }
        await TriggerAsync(TrainingTrigger.Scheduled, $"scheduled every {hours} hours");
        return true;
    }

    /// <summary>Registers the candidate once per job; the version to promote is returned when the policy says so.</summary>
    public async Task<(CandidateDecision Decision, string? Promote)> AcceptAsync(TrainingCandidate candidate)
    {
        if (State.ActiveJobId == candidate.JobId)
        {
            State.ActiveJobId = null;
        }
        var version = (await versions.FindByJobAsync(candidate.JobId))?.Version;
        if (version is null && candidate.Version is { } named)
        {
            version = named;
            await versions.RegisterAsync(version, candidate.MetricsAfter, candidate.ArtifactJson, candidate.JobId);
        }
        if (version is null)
        {
            do
            {
                State.TrainedVersions++;
                version = State.ActiveVersion is { } active ? $"{active}.r{State.TrainedVersions}" : $"r{State.TrainedVersions}";
            }
            while (await versions.HasAsync(version));
            await versions.RegisterAsync(version, candidate.MetricsAfter, candidate.ArtifactJson, candidate.JobId);
        }
        return State.Config.PromotionPolicy switch
        {
            PromotionPolicy.AutoIfBetter when candidate.Improvement > PromotionMargin => (new CandidateDecision(version, true, null), version),
            PromotionPolicy.AutoIfBetter => (new CandidateDecision(version, false, null), null),
            PromotionPolicy.AbTest => (await AbTestAsync(version), null),
            _ => (new CandidateDecision(version, false, null), null),
        };
    }

    /// <summary>AB_TEST: the champion (A) against the candidate (B), with autoPromote, on the task's error or accuracy.</summary>
    private async Task<CandidateDecision> AbTestAsync(string candidate)
    {
        const string unstarted = "promotion policy AB_TEST: no A/B test started";
        if (State.ActiveVersion is not { } champion)
        {
            return new CandidateDecision(candidate, false, $"{unstarted}: the monitor has no champion to test the candidate against");
        }
        var metric = State.Task == ModelTask.Classification ? Metric.Accuracy : Metric.Mae;
        try
        {
            var test = await abTests.StartAsync(new AbTestDefinition(key.ModelId, key.MachineId, champion, candidate,
                AbTestDefinition.DefaultTrafficSplit, metric, AbTestDefinition.DefaultMinSamplesPerArm, AbTestDefinition.DefaultDurationHours, AutoPromote: true));
            return new CandidateDecision(candidate, false, null, test.Id);
        }
        catch (ServiceException e)
        {
            return new CandidateDecision(candidate, false, $"{unstarted}: {e.Message}");
        }
    }

    /// <summary>A job failed or was cancelled: it is no longer active, and a failure raises TRAINING_FAILED.</summary>
    public async Task EndedAsync(Guid jobId, TrainingStatus status, string? error, MonitorAlerts alerts)
    {
        if (State.ActiveJobId == jobId)
        {
            State.ActiveJobId = null;
        }
        if (status == TrainingStatus.Failed)
        {
            await alerts.RaiseAsync(AlertType.TrainingFailed, Severity.Warning, $"training job {jobId} failed: {error}", new { jobId, error });
        }
    }
}
