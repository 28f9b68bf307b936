namespace ModelPerformance.Grains.Interfaces;

/// <summary>What a monitor hands a new training job: who it is for, why, and the samples to train on.</summary>
[GenerateSerializer, Immutable, Alias("TrainingRequest")]
public sealed record TrainingRequest(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string MachineId,
    [property: Id(2)] TrainingTrigger Trigger,
    [property: Id(3)] string? Reason,
    [property: Id(4)] string? PreviousVersion,
    [property: Id(5)] ModelTask? Task,
    [property: Id(6)] string PositiveLabel,
    [property: Id(7)] IReadOnlyList<PredictionSample> Samples,
    [property: Id(8)] string? TrainerUrl = null);

/// <summary>What training produced, for the monitor to register and judge by its promotion policy.</summary>
[GenerateSerializer, Immutable, Alias("TrainingCandidate")]
public sealed record TrainingCandidate(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] MetricSet? MetricsAfter,
    [property: Id(2)] double? Improvement,
    [property: Id(3)] string? ArtifactJson,
    [property: Id(4)] string? Version = null);

/// <summary>What an external trainer sends back through <c>completeTraining</c>.</summary>
[GenerateSerializer, Immutable, Alias("TrainingCompletion")]
public sealed record TrainingCompletion(
    [property: Id(0)] string? Token,
    [property: Id(1)] bool Succeeded,
    [property: Id(2)] string? NewVersion,
    [property: Id(3)] MetricSet? MetricsAfter,
    [property: Id(4)] string? ArtifactJson,
    [property: Id(5)] string? Error);

/// <summary>The monitor's answer to a candidate: the version it was registered as, and what the policy did.</summary>
[GenerateSerializer, Immutable, Alias("CandidateDecision")]
public sealed record CandidateDecision(
    [property: Id(0)] string Version,
    [property: Id(1)] bool Promoted,
    [property: Id(2)] string? Note,
    [property: Id(3)] Guid? AbTestId = null);

/// <summary>
/// One training job (SEMANTICS.md, Retraining and versions): PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED.
/// Every change is saved, written to <c>model_training_history</c> and published before it is answered.
/// </summary>
[Alias("ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithGuidKey
{
    /// <summary>Creates the job as PENDING and starts training after this call returns; again with the same id returns the job.</summary>
    [Alias("Start")]
    Task<TrainingJob> StartAsync(TrainingRequest request);

    /// <summary>Null for an id no job has. Interleaves, so a monitor may ask while the job waits on it.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave]
    Task<TrainingJob?> GetAsync();

    /// <summary>
    /// An external trainer's answer, authorized by the job's callback token alone (a wrong one is FORBIDDEN). For an
    /// ended job the same answer is a no-op that returns it, another is a CONFLICT.
    /// </summary>
    [Alias("Complete")]
    Task<TrainingJob> CompleteAsync(TrainingCompletion completion);

    /// <summary>A PENDING or RUNNING job becomes CANCELLED; an ended one is a CONFLICT.</summary>
    [Alias("Cancel")]
    Task<TrainingJob> CancelAsync();
}
