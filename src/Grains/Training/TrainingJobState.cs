using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Training;

/// <summary>A training job as its grain keeps it; the request (with its samples) is kept until the job ends, so a survivor can run it.</summary>
[GenerateSerializer, Alias("TrainingJobState")]
public sealed class TrainingJobState
{
    [Id(0)] public TrainingJob? Job { get; set; }

    [Id(1)] public TrainingRequest? Request { get; set; }
}
