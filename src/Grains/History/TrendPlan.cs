namespace ModelPerformance.Grains.History;

/// <summary>A span of time; a null end is unbounded on that side.</summary>
internal readonly record struct TimeRange(DateTime? From, DateTime? To);

/// <summary>
/// How a trend over [from, to) splits between hourly aggregates and rows: rows before the first whole hour
/// (<see cref="HeadTo"/>), aggregates for whole hours up to the coverage (<see cref="Hours"/>), and rows from
/// <see cref="RestFrom"/> to the end. The three parts never overlap and together cover [from, to).
/// </summary>
internal readonly record struct TrendPlan(DateTime? HeadTo, TimeRange? Hours, DateTime? RestFrom)
{
    /// <param name="coveredUntil">Hours before this are complete in the aggregates; null: use rows only.</param>
    public static TrendPlan Create(DateTime? from, DateTime? to, DateTime? coveredUntil)
    {
        if (coveredUntil is not { } covered)
        {
            return new TrendPlan(null, null, from);
        }
        var firstHour = from is { } f ? CeilingHour(f) : (DateTime?)null;
        var lastHour = to is { } t ? TrendBuckets.Start(t, Interfaces.Bucket.Hour) : (DateTime?)null;
        var hoursTo = lastHour is { } l && l < covered ? l : covered;
        if (firstHour is { } first && first >= hoursTo)
        {
            return new TrendPlan(null, null, from);
        }
        // Rows before the first whole hour, aggregates up to hoursTo, rows from there on.
        return new TrendPlan(firstHour, new TimeRange(firstHour, hoursTo), hoursTo);
    }

    private static DateTime CeilingHour(DateTime utc)
    {
        var start = TrendBuckets.Start(utc, Interfaces.Bucket.Hour);
        return start < utc ? start.AddHours(1) : start;
    }
}
