using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Training;

/// <summary>A training job as its grain keeps it; the request (with its samples) is kept until the job ends, so a survivor can run it.</summary>
[GenerateSerializer, Alias("TrainingJobState")]
public sealed class TrainingJobState
{
    [Id(0)] public TrainingJob? Job { get; set; }

    [Id(1)] public TrainingRequest? Request { get; set; }

    /// <summary>The external trainer's callback token: sent with every attempt of the job's POST, checked on completion.</summary>
    [Id(2)] public string? CallbackToken { get; set; }

    /// <summary>The completion that ended the job, so a repeat of it is a no-op and another answer a CONFLICT.</summary>
    [Id(3)] public TrainingCompletion? Completion { get; set; }
}
