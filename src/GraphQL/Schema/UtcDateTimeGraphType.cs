using System.Globalization;
using System.Text.RegularExpressions;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// The contract's <c>DateTime</c>: RFC 3339. Outputs are UTC with a Z (fractions only when there are
/// any); inputs must carry Z or an offset, so that no client's local time zone is ever guessed.
/// </summary>
public sealed partial class UtcDateTimeGraphType : ScalarGraphType
{
    public UtcDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "RFC 3339 timestamp in UTC, e.g. 2026-11-26T20:00:00Z. Inputs may carry an offset; outputs are UTC with a Z.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => ParseText((string)s.Value) ?? ThrowLiteralConversionError(value, "expected an RFC 3339 timestamp with Z or an offset"),
        _ => ThrowLiteralConversionError(value, "expected an RFC 3339 timestamp string"),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => ParseText(s) ?? ThrowValueConversionError(value),
        DateTime d => ToUtc(d),
        DateTimeOffset o => o.UtcDateTime,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTime d => Format(ToUtc(d)),
        DateTimeOffset o => Format(o.UtcDateTime),
        _ => ThrowSerializationError(value),
    };

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Read field by field once the pattern matched (every evaluation of a batch carries a timestamp, and the
    /// general parser cost more than the rest of its input); a date that does not exist, such as February 30
    /// or a 60th second, is refused.
    /// </summary>
    internal static DateTime? ParseText(ReadOnlySpan<char> s)
    {
        if (!Rfc3339().IsMatch(s))
        {
            return null;
        }
        static int Number(ReadOnlySpan<char> s, int start, int length) => int.Parse(s.Slice(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
        var ticks = 0L;
        var next = 19;
        if (s[next] == '.')
        {
            // Up to nine digits (the pattern's limit), rounded to DateTime's 100 ns ticks as the framework's parser does.
            var start = ++next;
            while (char.IsAsciiDigit(s[next]))
            {
                next++;
            }
            var digits = next - start;
            var fraction = (double)Number(s, start, digits);
            ticks = (long)Math.Round(fraction * Math.Pow(10, 7 - digits), MidpointRounding.AwayFromZero);
        }
        var offset = s[next] is 'Z' or 'z'
            ? TimeSpan.Zero
            : (s[next] == '-' ? -1 : 1) * new TimeSpan(Number(s, next + 1, 2), Number(s, next + 4, 2), 0);
        try
        {
            var local = new DateTime(Number(s, 0, 4), Number(s, 5, 2), Number(s, 8, 2), Number(s, 11, 2), Number(s, 14, 2), Number(s, 17, 2), DateTimeKind.Unspecified);
            return new DateTimeOffset(local.AddTicks(ticks), offset).UtcDateTime;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // Grains and history keep UTC; an Unspecified kind can only come from storage that dropped it.
    private static DateTime ToUtc(DateTime d) => d.Kind switch
    {
        DateTimeKind.Utc => d,
        DateTimeKind.Local => d.ToUniversalTime(),
        _ => DateTime.SpecifyKind(d, DateTimeKind.Utc),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
