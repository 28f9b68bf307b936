using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Grains.Telemetry;
using ModelPerformance.Grains.Trainers;

using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.Grains.Training;

/// <summary>
/// One training job, with the built-in trainer or sent to an external one (the monitor's <c>trainerUrl</c>), which answers
/// through <see cref="CompleteAsync"/> with the job's callback token. It trains in its own turn, after <see cref="StartAsync"/> has
/// answered, so the monitor that started it keeps ingesting meanwhile. Each change is saved to grain storage and
/// to <c>model_training_history</c>, then published. A reminder wakes the job on a survivor if its silo dies, and
/// the job resumes from its saved state; the monitor registers a job's candidate once, however often it is offered.
/// </summary>
public sealed class TrainingJobGrain(
    [PersistentState("training-job")] IPersistentState<TrainingJobState> persisted,
    ITrainingJobStore store,
    IEventPublisher events,
    IOptions<MonitorOptions> options,
    IOptions<TrainingOptions> trainingOptions,
    TrainerClient trainer,
    TimeProvider clock,
    ILogger<TrainingJobGrain> logger) : Grain, ITrainingJobGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    private bool working;

    private TrainingJobState State => persisted.State;

    private static bool IsActive(TrainingJob job) => job.Status is TrainingStatus.Pending or TrainingStatus.Running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Job is { } job && IsActive(job))
        {
            ScheduleWork();
            ScheduleTimeout(job);
        }
        return Task.CompletedTask;
    }

    public async Task<TrainingJob> StartAsync(TrainingRequest request)
    {
        if (State.Job is { } existing)
        {
            return existing;
        }
        var job = new TrainingJob(this.GetPrimaryKey(), request.ModelId, request.MachineId, request.Trigger, TrainingStatus.Pending,
            request.Reason, Now(), null, null, request.PreviousVersion, null, null, null, null, null, null, null);
        State.Request = request;
        State.CallbackToken = request.TrainerUrl is null ? null : Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        await ChangeAsync(job);
        await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.RecoveryReminderPeriod, options.Value.RecoveryReminderPeriod);
        ScheduleWork();
        ScheduleTimeout(job);
        return job;
    }

    public async Task<TrainingJob> CompleteAsync(TrainingCompletion completion)
    {
        var job = State.Job ?? throw ServiceException.NotFound($"no training job {this.GetPrimaryKey()}", "id");
        if (State.CallbackToken is not { } expected || completion.Token is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(completion.Token), Encoding.UTF8.GetBytes(expected)))
        {
            throw new ServiceException(ErrorCode.Forbidden, $"the token does not authorize completing training job {job.Id}", ["token"]);
        }
        if (!IsActive(job))
        {
            return State.Completion is { } ended && ended.Succeeded == completion.Succeeded && ended.NewVersion == completion.NewVersion
                ? job
                : throw ServiceException.Conflict($"training job {job.Id} has already ended as {Names.Of(job.Status)}", "succeeded");
        }
        State.Completion = completion;
        if (!completion.Succeeded)
        {
            var error = completion.Error ?? "the trainer reported a failure";
            await Monitor(job).JobEndedAsync(job.Id, TrainingStatus.Failed, error);
            return await EndAsync(job with { Status = TrainingStatus.Failed, CompletedAt = Now(), Error = error });
        }
        var before = State.Request is { } request ? BuiltInTrainer.HoldoutBefore(request.Samples) : null;
        var improvement = BuiltInTrainer.Improvement(before?.Rmse, completion.MetricsAfter?.Rmse);
        var decision = await Monitor(job).AcceptCandidateAsync(
            new TrainingCandidate(job.Id, completion.MetricsAfter, improvement, completion.ArtifactJson, completion.NewVersion));
        return await EndAsync(job with
        {
            Status = TrainingStatus.Succeeded, CompletedAt = Now(), NewVersion = decision.Version,
            MetricsBefore = before, MetricsAfter = completion.MetricsAfter, Improvement = improvement, Error = decision.Note, AbTestId = decision.AbTestId,
        });
    }

    public Task<TrainingJob?> GetAsync() => Task.FromResult(State.Job);

    public async Task<TrainingJob> CancelAsync()
    {
        var job = State.Job ?? throw ServiceException.NotFound($"no training job {this.GetPrimaryKey()}", "id");
        if (!IsActive(job))
        {
            throw ServiceException.Conflict($"training job {job.Id} has already ended as {Names.Of(job.Status)}", "id");
        }
        await Monitor(job).JobEndedAsync(job.Id, TrainingStatus.Cancelled, null);
        return await EndAsync(job with { Status = TrainingStatus.Cancelled, CompletedAt = Now() });
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Job is not { } job || !IsActive(job))
        {
            await UnregisterResumeAsync();
            return;
        }
        if (Now() - job.CreatedAt >= trainingOptions.Value.Timeout)
        {
            await TimeOutAsync(CancellationToken.None);
        }
        ScheduleWork();
    }

    /// <summary>An external trainer that does not complete the job in time fails it (the reminder covers a restart).</summary>
    private void ScheduleTimeout(TrainingJob job)
    {
        if (State.Request?.TrainerUrl is null)
        {
            return;
        }
        var due = job.CreatedAt + trainingOptions.Value.Timeout - Now();
        this.RegisterGrainTimer(TimeOutAsync, new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private async Task TimeOutAsync(CancellationToken cancellationToken)
    {
        if (State.Job is not { } job || !IsActive(job) || State.Request?.TrainerUrl is null)
        {
            return;
        }
        if (Now() - job.CreatedAt < trainingOptions.Value.Timeout)
        {
            // A timer may fire a little early: wait for the rest.
            ScheduleTimeout(job);
            return;
        }
        var error = $"the trainer did not complete the job within {trainingOptions.Value.TimeoutMinutes} minutes (Training:TimeoutMinutes)";
        await Monitor(job).JobEndedAsync(job.Id, TrainingStatus.Failed, error);
        await EndAsync(job with { Status = TrainingStatus.Failed, CompletedAt = Now(), Error = error });
    }

    private void ScheduleWork()
    {
        if (!working)
        {
            working = true;
            this.RegisterGrainTimer(WorkAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (State.Job is not { } job || !IsActive(job) || State.Request is not { } request)
            {
                return;
            }
            if (request.TrainerUrl is not null)
            {
                await SendAsync(job, request, cancellationToken);
                return;
            }
            if (job.Status == TrainingStatus.Pending)
            {
                job = job with { Status = TrainingStatus.Running, StartedAt = Now() };
                await ChangeAsync(job);
            }
            TrainingOutcome outcome;
            try
            {
                outcome = await Task.Run(() => BuiltInTrainer.Train(request.Samples, request.Task, request.PositiveLabel), cancellationToken);
            }
            catch (TrainingException e)
            {
                await Monitor(job).JobEndedAsync(job.Id, TrainingStatus.Failed, e.Message);
                await EndAsync(job with { Status = TrainingStatus.Failed, CompletedAt = Now(), Error = e.Message });
                return;
            }
            job = job with
            {
                HyperparametersJson = outcome.HyperparametersJson,
                MetricsBefore = outcome.MetricsBefore,
                MetricsAfter = outcome.MetricsAfter,
                Improvement = outcome.Improvement,
            };
            var decision = await Monitor(job).AcceptCandidateAsync(new TrainingCandidate(job.Id, outcome.MetricsAfter, outcome.Improvement, outcome.ArtifactJson));
            await EndAsync(job with { Status = TrainingStatus.Succeeded, CompletedAt = Now(), NewVersion = decision.Version, Error = decision.Note, AbTestId = decision.AbTestId });
        }
        finally
        {
            working = false;
        }
    }

    /// <summary>A PENDING external job is POSTed to its trainer: a 2xx makes it RUNNING, a refusal fails it.</summary>
    private async Task SendAsync(TrainingJob job, TrainingRequest request, CancellationToken cancellationToken)
    {
        if (job.Status != TrainingStatus.Pending)
        {
            return;
        }
        var refused = await trainer.SendAsync(job, request, State.CallbackToken!, cancellationToken);
        if (refused is null)
        {
            await ChangeAsync(job with { Status = TrainingStatus.Running, StartedAt = Now() });
            return;
        }
        await Monitor(job).JobEndedAsync(job.Id, TrainingStatus.Failed, refused);
        await EndAsync(job with { Status = TrainingStatus.Failed, CompletedAt = Now(), Error = refused });
    }

    private async Task<TrainingJob> EndAsync(TrainingJob job)
    {
        State.Request = null;
        await ChangeAsync(job);
        logger.LogInformation("Training job {Job} of {Model}/{Machine} ended {Status}", job.Id, job.ModelId, job.MachineId, Names.Of(job.Status));
        await UnregisterResumeAsync();
        return job;
    }

    /// <summary>The grain's state first (the truth a survivor resumes from), then the history row, then the event.</summary>
    private async Task ChangeAsync(TrainingJob job)
    {
        var entered = State.Job?.Status != job.Status;
        State.Job = job;
        await persisted.WriteStateAsync();
        if (entered)
        {
            ServiceMeters.TrainingJobs.Add(1, ServiceMeters.Tag("status", Names.Of(job.Status)));
        }
        await store.SaveAsync(job);
        await events.PublishAsync(new TrainingJobUpdated(job));
    }

    private async Task UnregisterResumeAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private IModelMonitorGrain Monitor(TrainingJob job) => GrainFactory.GetGrain<IModelMonitorGrain>(new MonitorKey(job.ModelId, job.MachineId).ToString());

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
