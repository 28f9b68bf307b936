namespace ModelPerformance.Grains.Monitors;

/// <summary>Settings of monitor grains that are not part of a monitor's own configuration.</summary>
public sealed class MonitorOptions
{
    /// <summary>
    /// The length of one of <c>checkIntervalMinutes</c>' minutes: a minute in production; tests shorten it
    /// (together with Orleans' minimum reminder period) to see reminder-driven checks in seconds.
    /// </summary>
    public TimeSpan CheckIntervalUnit { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The period of the reminders that finish a job or a test on a survivor when its silo dies: a minute, or one
    /// unit when tests make it shorter.
    /// </summary>
    public TimeSpan RecoveryReminderPeriod => CheckIntervalUnit < TimeSpan.FromMinutes(1) ? CheckIntervalUnit : TimeSpan.FromMinutes(1);

    /// <summary>
    /// False when grain state lives in the silo's memory: then a silo that shuts down loses it anyway, and the
    /// monitors skip their last save instead of writing to a storage that is shutting down with them.
    /// </summary>
    public bool StateOutlivesSilo { get; set; } = true;

    /// <summary>
    /// How long changes that the history already holds may wait before a monitor saves its state. A state saved
    /// late loses nothing (an activation replays the history rows it lacks); the interval bounds that replay.
    /// Saving every 5 s cost 1,000 busy monitors about a fifth of ingestion's CPU (bench/RESULTS.md, ingest-pg).
    /// </summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
