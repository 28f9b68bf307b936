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
    /// False when grain state lives in the silo's memory: then a silo that shuts down loses it anyway, and the
    /// monitors skip their last save instead of writing to a storage that is shutting down with them.
    /// </summary>
    public bool StateOutlivesSilo { get; set; } = true;
}
