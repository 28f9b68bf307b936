using System.Text.Json;
using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// Reads a <c>[RecordEvaluationInput!]</c> variable straight from a request's JSON into <see cref="EvaluationFields"/>.
/// For a batch of 1,000 evaluations GraphQL.NET's reading of the variables into dictionaries and its coercion of each
/// field cost more CPU than storing them; this reader does the same in one pass. It accepts only what that coercion
/// turns into the same values (strings for IDs and strings, JSON integers for Int, numbers for Float, an enum name, an
/// RFC 3339 DateTime, null for an optional field) and declines anything else (an unknown or repeated field, a number
/// for an ID, a missing required field, a single object for the list): such a request then takes GraphQL.NET's path,
/// with its standard errors.
/// </summary>
public static class EvaluationListJsonReader
{
    /// <summary>The named type of the list's items, by which a request's variable definitions pick this reader.</summary>
    public const string ItemTypeName = RecordEvaluationInputGraphType.TypeName;

    private static readonly ModelTaskGraphType TaskType = new();

    /// <summary>The list whose first token (its <c>[</c>) <paramref name="reader"/> is on, or null to decline; on success the reader is on its <c>]</c>.</summary>
    public static EvaluationFields[]? TryRead(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }
        var items = new List<EvaluationFields>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (ReadEvaluation(ref reader) is not { } item)
            {
                return null;
            }
            items.Add(item);
        }
        return reader.TokenType == JsonTokenType.EndArray ? [.. items] : null;
    }

    private static EvaluationFields? ReadEvaluation(ref Utf8JsonReader reader)
    {
        string? evaluationId = null, modelId = null, machineId = null, modelType = null, modelVersion = null;
        ModelTask? task = null;
        DateTime? evaluatedAt = null;
        int? sampleCount = null;
        MetricSet? metrics = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = IndexOf(ref reader, FieldNames);
            if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read())
            {
                return null;
            }
            seen |= 1 << field;
            var ok = field switch
            {
                0 => TryText(ref reader, out evaluationId),
                1 => TryText(ref reader, out modelId) && modelId is not null,
                2 => TryText(ref reader, out machineId) && machineId is not null,
                3 => TryText(ref reader, out modelType),
                4 => TryTask(ref reader, out task),
                5 => TryText(ref reader, out modelVersion),
                6 => TryTimestamp(ref reader, out evaluatedAt),
                7 => TryInt(ref reader, out sampleCount),
                _ => (metrics = ReadMetrics(ref reader)) is not null,
            };
            if (!ok)
            {
                return null;
            }
        }
        return reader.TokenType == JsonTokenType.EndObject && modelId is not null && machineId is not null && metrics is not null
            ? new EvaluationFields(evaluationId, modelId, machineId, modelType, task, modelVersion, evaluatedAt, sampleCount, metrics)
            : null;
    }

    /// <summary>RecordEvaluationInput's fields, in the order of <see cref="ReadEvaluation"/>'s cases.</summary>
    private static readonly byte[][] FieldNames = Utf8("evaluationId", "modelId", "machineId", "modelType", "task", "modelVersion", "evaluatedAt", "sampleCount", "metrics");

    private static readonly byte[][] MetricNames = Utf8(MetricSetInputGraphType.FieldNames);

    private static byte[][] Utf8(params string[] names) => [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>The index of the property name the reader is on, or -1 for a name not in <paramref name="names"/>.</summary>
    private static int IndexOf(ref Utf8JsonReader reader, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static MetricSet? ReadMetrics(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        Span<double?> values = stackalloc double?[MetricNames.Length];
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var metric = IndexOf(ref reader, MetricNames);
            if (metric < 0 || (seen & (1 << metric)) != 0 || !reader.Read() || !TryNumber(ref reader, out values[metric]))
            {
                return null;
            }
            seen |= 1 << metric;
        }
        return reader.TokenType == JsonTokenType.EndObject
            ? EvaluationFields.Of(values)
            : null;
    }

    private static bool TryText(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private static bool TryTask(ref Utf8JsonReader reader, out ModelTask? value)
    {
        value = reader.TokenType == JsonTokenType.String && TaskType.Values.FindByName(reader.GetString()!)?.Value is ModelTask task ? task : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, out DateTime? value)
    {
        // The scalar's pattern bounds a timestamp to 35 characters. A longer raw value (even one that unescapes shorter) is
        // declined, so that it always fits the buffer: unescaping never lengthens a string.
        Span<char> text = stackalloc char[40];
        value = reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && reader.ValueSpan.Length <= text.Length
            ? UtcDateTimeGraphType.ParseText(text[..reader.CopyString(text)])
            : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    private static bool TryInt(ref Utf8JsonReader reader, out int? value)
    {
        value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) ? number : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    private static bool TryNumber(ref Utf8JsonReader reader, out double? value)
    {
        value = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }
}
