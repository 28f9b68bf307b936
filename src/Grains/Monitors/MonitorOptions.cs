namespace ModelPerformance.Grains.Monitors;

/// <summary>Settings of monitor grains that are not part of a monitor's own configuration.</summary>
public sealed class MonitorOptions
{
    /// <summary>
    /// The length of one of <c>checkIntervalMinutes</c>' minutes: a minute in production; tests shorten it
    /// (together with Orleans' minimum reminder period) to see reminder-driven checks in seconds.
    /// </summary>
    public TimeSpan CheckIntervalUnit { get; set; } = TimeSpan.FromMinutes(1);
}
