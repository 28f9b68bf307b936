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

    private static DateTime? ParseText(string text) =>
        Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.UtcDateTime
            : null;

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
