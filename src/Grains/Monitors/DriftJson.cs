using System.Text.Json;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// A drift report's features and concept drift as JSON for <c>model_drift_checks.drift_details</c>, spelled
/// as the contract's <c>DriftReport</c> fields (camelCase names, enum values by contract name, nulls kept).
/// </summary>
public static class DriftJson
{
    public static string Details(DriftReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("features");
            foreach (var f in report.Features)
            {
                writer.WriteStartObject();
                writer.WriteString("feature", f.Feature);
                writer.WriteString("kind", Names.Of(f.Kind));
                writer.WriteString("method", f.Method);
                Number(writer, "score", f.Score);
                Number(writer, "threshold", f.Threshold);
                writer.WriteBoolean("drifted", f.Drifted);
                Number(writer, "psi", f.Psi);
                Number(writer, "ksStatistic", f.KsStatistic);
                Number(writer, "ksPValue", f.KsPValue);
                Number(writer, "wasserstein", f.Wasserstein);
                Number(writer, "jensenShannon", f.JensenShannon);
                Number(writer, "chiSquaredPValue", f.ChiSquaredPValue);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            var concept = report.ConceptDrift;
            writer.WriteStartObject("conceptDrift");
            writer.WriteString("detector", concept.Detector);
            writer.WriteBoolean("detected", concept.Detected);
            if (concept.DetectedAt is { } at)
            {
                writer.WriteString("detectedAt", at);
            }
            else
            {
                writer.WriteNull("detectedAt");
            }
            writer.WriteNumber("samplesSinceReset", concept.SamplesSinceReset);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>JSON has no NaN or infinity: a statistic that is not finite (e.g. a distance over no data) is written as null.</summary>
    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
