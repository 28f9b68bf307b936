using System.Text.Json;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Training;

/// <summary>
/// A metric set as JSON for the jsonb columns of <c>model_training_history</c> and <c>model_versions</c>, spelled as
/// the contract's <c>MetricSet</c> fields (<c>rSquared</c>, <c>rmse</c>, ...), nulls kept.
/// </summary>
public static class MetricSetJson
{
    public static string Serialize(MetricSet metrics)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Number(writer, "rSquared", metrics.RSquared);
            Number(writer, "rmse", metrics.Rmse);
            Number(writer, "mae", metrics.Mae);
            Number(writer, "mape", metrics.Mape);
            Number(writer, "accuracy", metrics.Accuracy);
            Number(writer, "precision", metrics.Precision);
            Number(writer, "recall", metrics.Recall);
            Number(writer, "f1", metrics.F1);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; a missing field is null.</summary>
    public static MetricSet Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        double? Get(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
        return new MetricSet(Get("rSquared"), Get("rmse"), Get("mae"), Get("mape"), Get("accuracy"), Get("precision"), Get("recall"), Get("f1"));
    }

    /// <summary>JSON has no NaN or infinity, and a metric that cannot be computed is null anyway.</summary>
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
