namespace ModelPerformance.Grains.Training;

/// <summary>Settings of training jobs (configuration section <c>Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>Minutes an external trainer has to complete a job before it fails (SEMANTICS.md: default 60).</summary>
    public double TimeoutMinutes { get; set; } = 60;

    /// <summary>Attempts of the job's POST to the trainer; network errors and 5xx answers are retried with doubling backoff.</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>The wait before the second attempt; it doubles for each one after.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout => TimeSpan.FromMinutes(TimeoutMinutes);
}
