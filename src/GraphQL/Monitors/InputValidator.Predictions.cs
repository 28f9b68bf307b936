using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>recordPredictions: the batch, its samples and their features.</summary>
public static partial class InputValidator
{
    public static (MonitorKey Key, PredictionBatch Batch) Predictions(IReadOnlyDictionary<string, object?> input, DateTime now, params object[] path)
    {
        var key = Key(input.GetValueOrDefault("modelId"), input.GetValueOrDefault("machineId"), path);
        var samplesPath = (object[])[.. path, "samples"];
        var raw = input.GetValueOrDefault("samples") as IEnumerable<object?> ?? [];
        var list = raw.ToList();
        Count(list.Count, "samples", samplesPath);

        var task = input.GetValueOrDefault("task") as ModelTask?;
        var samples = new PredictionSample[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var samplePath = (object[])[.. samplesPath, i];
            var (sample, sampleTask) = Sample(AsMap(list[i], samplePath), now, samplePath);
            task ??= sampleTask;
            if (sampleTask != task)
            {
                throw ServiceException.BadInput($"This sample is {Names.Of(sampleTask)}, but the batch is {Names.Of(task.Value)}.", samplePath);
            }
            samples[i] = sample;
        }

        return (key, new PredictionBatch(
            OptionalText(input.GetValueOrDefault("batchId"), path, "batchId"),
            OptionalText(input.GetValueOrDefault("modelType"), path, "modelType"),
            task,
            OptionalText(input.GetValueOrDefault("modelVersion"), path, "modelVersion"),
            samples));
    }

    /// <summary>A flat JSON object of numbers (numeric features) and strings (categorical ones); nulls are skipped.</summary>
    public static IReadOnlyDictionary<string, FeatureValue>? Features(JsonNode? features, params object[] path)
    {
        if (features is null)
        {
            return null;
        }
        if (features is not JsonObject obj)
        {
            throw ServiceException.BadInput("features must be a JSON object of names to numbers or strings.", path);
        }
        if (obj.Count > MaxFeatureKeys)
        {
            throw ServiceException.BadInput($"features has {obj.Count} keys; at most {MaxFeatureKeys} are allowed.", path);
        }

        var result = new Dictionary<string, FeatureValue>(obj.Count, StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            if (name.Length == 0 || name.Length > MaxFeatureKeyLength)
            {
                throw ServiceException.BadInput($"Feature names must be 1 to {MaxFeatureKeyLength} characters.", [.. path, name]);
            }
            switch (value?.GetValueKind())
            {
                case null or JsonValueKind.Null:
                    break;
                case JsonValueKind.Number:
                    // The scalar keeps each number as it came (long, double, decimal); its JSON text reads as a double in every case.
                    var number = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    if (!double.IsFinite(number))
                    {
                        throw ServiceException.BadInput($"Feature '{name}' must be a finite number.", [.. path, name]);
                    }
                    result[name] = FeatureValue.Of(number);
                    break;
                case JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (text.Length > MaxTextLength)
                    {
                        throw ServiceException.BadInput($"Feature '{name}' is longer than {MaxTextLength} characters.", [.. path, name]);
                    }
                    result[name] = FeatureValue.Of(text);
                    break;
                default:
                    throw ServiceException.BadInput($"Feature '{name}' must be a number, a string or null, not {value.GetValueKind().ToString().ToLowerInvariant()}.", [.. path, name]);
            }
        }
        return result;
    }

    private static (PredictionSample Sample, ModelTask Task) Sample(IReadOnlyDictionary<string, object?> sample, DateTime now, object[] path)
    {
        var predicted = FiniteOrNull(sample, "predicted", path);
        var actual = FiniteOrNull(sample, "actual", path);
        var predictedLabel = OptionalText(sample.GetValueOrDefault("predictedLabel"), path, "predictedLabel");
        var actualLabel = OptionalText(sample.GetValueOrDefault("actualLabel"), path, "actualLabel");

        var hasNumbers = predicted is not null || actual is not null;
        var hasLabels = predictedLabel is not null || actualLabel is not null;
        if (hasNumbers && hasLabels)
        {
            throw ServiceException.BadInput("A sample has either numbers (regression) or labels (classification), not both.", path);
        }
        if (predicted is null && predictedLabel is null)
        {
            throw ServiceException.BadInput("A sample needs predicted (regression) or predictedLabel (classification).", path);
        }

        var result = new PredictionSample(
            sample.GetValueOrDefault("timestamp") is DateTime t ? Timestamp(t, now, path, "timestamp") : null,
            predicted,
            actual,
            predictedLabel,
            actualLabel,
            Features(sample.GetValueOrDefault("features") as JsonNode, [.. path, "features"]));
        return (result, hasNumbers ? ModelTask.Regression : ModelTask.Classification);
    }
}
