using System.Text.Json;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Prediction samples as compact JSON for <c>model_prediction_batches.samples</c>:
/// <c>[{"t":..,"p":..,"a":..,"pl":..,"al":..,"f":{"name":number|string}}]</c>, absent fields omitted.
/// </summary>
public static class SampleJson
{
    public static string Serialize(IReadOnlyList<PredictionSample> samples)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var s in samples)
            {
                writer.WriteStartObject();
                if (s.Timestamp is { } t) writer.WriteString("t", t);
                if (s.Predicted is { } p) writer.WriteNumber("p", p);
                if (s.Actual is { } a) writer.WriteNumber("a", a);
                if (s.PredictedLabel is { } pl) writer.WriteString("pl", pl);
                if (s.ActualLabel is { } al) writer.WriteString("al", al);
                if (s.Features is { Count: > 0 } features)
                {
                    writer.WriteStartObject("f");
                    foreach (var (name, value) in features)
                    {
                        if (value.IsNumeric) writer.WriteNumber(name, value.Number);
                        else writer.WriteString(name, value.Text);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<PredictionSample> Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var samples = new List<PredictionSample>(document.RootElement.GetArrayLength());
        foreach (var e in document.RootElement.EnumerateArray())
        {
            Dictionary<string, FeatureValue>? features = null;
            if (e.TryGetProperty("f", out var f))
            {
                features = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
                foreach (var property in f.EnumerateObject())
                {
                    features[property.Name] = property.Value.ValueKind == JsonValueKind.Number
                        ? FeatureValue.Of(property.Value.GetDouble())
                        : FeatureValue.Of(property.Value.GetString()!);
                }
            }
            samples.Add(new PredictionSample(
                e.TryGetProperty("t", out var t) ? t.GetDateTime().ToUniversalTime() : null,
                e.TryGetProperty("p", out var p) ? p.GetDouble() : null,
                e.TryGetProperty("a", out var a) ? a.GetDouble() : null,
                e.TryGetProperty("pl", out var pl) ? pl.GetString() : null,
                e.TryGetProperty("al", out var al) ? al.GetString() : null,
                features));
        }
        return samples;
    }
}
