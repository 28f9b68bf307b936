using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>UTC bucket starts, the same as PostgreSQL's <c>date_trunc</c> (weeks start on Monday).</summary>
public static class TrendBuckets
{
    public static DateTime Start(DateTime utc, Bucket bucket) => bucket switch
    {
        Bucket.Minute => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc),
        Bucket.Hour => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc),
        Bucket.Day => new DateTime(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc),
        Bucket.Week => new DateTime(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc)
            .AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    public static string PostgresField(Bucket bucket) => bucket switch
    {
        Bucket.Minute => "minute",
        Bucket.Hour => "hour",
        Bucket.Day => "day",
        Bucket.Week => "week",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };
}
