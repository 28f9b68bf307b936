using System.Globalization;
using GraphQL;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.Tests.GraphQL;

public sealed class DateTimeScalarTests
{
    private static readonly UtcDateTimeGraphType Scalar = new();

    [Theory]
    [InlineData("2026-11-26T20:00:00Z")]
    [InlineData("2026-11-26t20:00:00z")]
    [InlineData("2026-11-26 20:00:00Z")]
    [InlineData("2026-11-26T20:00:00.5Z")]
    [InlineData("2026-11-26T20:00:00.1234567Z")]
    [InlineData("2026-11-26T20:00:00.123456789Z")]
    [InlineData("2026-11-26T20:00:00+05:30")]
    [InlineData("2026-11-26T20:00:00.25-08:00")]
    [InlineData("2024-02-29T23:59:59.9999999+00:00")]
    [InlineData("2000-01-01T00:30:00+01:00")]
    public void An_RFC_3339_timestamp_is_read_as_the_same_instant_in_UTC(string text)
    {
        var expected = DateTimeOffset.Parse(text.Replace('t', 'T').Replace('z', 'Z'), CultureInfo.InvariantCulture).UtcDateTime;

        var parsed = (DateTime)Scalar.ParseValue(text)!;

        Assert.Equal(expected, parsed);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
    }

    [Theory]
    [InlineData("2026-11-26T20:00:00")]
    [InlineData("2026-11-26")]
    [InlineData("2026-02-30T20:00:00Z")]
    [InlineData("2026-11-26T24:00:00Z")]
    [InlineData("2026-11-26T20:00:60Z")]
    [InlineData("2026-13-01T20:00:00Z")]
    [InlineData("2026-11-26T20:00:00+25:00")]
    [InlineData("26-11-2026T20:00:00Z")]
    [InlineData("2026-11-26T20:00:00.Z")]
    public void Anything_else_is_refused(string text)
    {
        Assert.ThrowsAny<InvalidOperationException>(() => Scalar.ParseValue(text));
    }
}
