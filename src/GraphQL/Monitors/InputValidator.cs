using ModelPerformance.Grains.Monitors;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// Checks the monitors' mutation inputs (as GraphQL.NET hands them over: dictionaries of coerced values)
/// and turns them into grain DTOs, before any grain is called, so that a mutation with one invalid part
/// stores nothing. Each failure is a <see cref="ServiceException"/> of code BAD_USER_INPUT whose path
/// names the offending input, e.g. <c>["inputs", 3, "metrics", "rmse"]</c>.
/// </summary>
public static class InputValidator
{
    public const int MaxItemsPerCall = 10_000;
    public const int MaxFeatureKeys = 256;
    public const int MaxFeatureKeyLength = 128;
    public const int MaxTextLength = 256;
    private static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    public static MonitorKey Key(object? modelId, object? machineId, params object[] prefix)
    {
        return new MonitorKey(Id(modelId, prefix, "modelId"), Id(machineId, prefix, "machineId"));
    }

    /// <summary>A <c>first</c> argument of a list query: 0 to <paramref name="max"/>.</summary>
    public static int First(int? first, int fallback, int max)
    {
        var value = first ?? fallback;
        if (value < 0 || value > max)
        {
            throw ServiceException.BadInput($"first must be between 0 and {max}.", "first");
        }
        return value;
    }

    /// <summary>A search text: blank searches nothing out; longer than an id can be is refused.</summary>
    public static string? Search(string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return null;
        }
        if (search.Length > MaxTextLength)
        {
            throw ServiceException.BadInput($"search must be at most {MaxTextLength} characters.", "search");
        }
        return search.Trim();
    }

    public static void Range(DateTime? from, DateTime? to)
    {
        if (from is { } f && to is { } t && f > t)
        {
            throw ServiceException.BadInput("from must not be after to.", "from");
        }
    }

    /// <summary>recordEvaluations: every input checked, in order, before anything is stored.</summary>
    public static IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> Evaluations(IReadOnlyList<object?> inputs, DateTime now, string argument = "inputs")
    {
        Count(inputs.Count, "evaluations", argument);
        var result = new (MonitorKey, EvaluationInput)[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            result[i] = Evaluation(AsMap(inputs[i], argument, i), now, argument, i);
        }
        return result;
    }

    public static (MonitorKey Key, EvaluationInput Input) Evaluation(IReadOnlyDictionary<string, object?> input, DateTime now, params object[] path)
    {
        // Paths of fields are built only for an error: a batch has up to 10,000 inputs.
        var key = Key(input.GetValueOrDefault("modelId"), input.GetValueOrDefault("machineId"), path);
        object[] metricsPath = [.. path, "metrics"];
        var metrics = Metrics(AsMap(input.GetValueOrDefault("metrics"), metricsPath), metricsPath);
        var task = input.GetValueOrDefault("task") as ModelTask?;
        var metricTask = TaskOf(metrics, metricsPath);
        if (task is { } given && given != metricTask)
        {
            throw ServiceException.BadInput($"The metrics are those of {Names.Of(metricTask)}, but task is {Names.Of(given)}.", [.. path, "task"]);
        }

        var sampleCount = input.GetValueOrDefault("sampleCount") as int?;
        if (sampleCount < 1)
        {
            throw ServiceException.BadInput("sampleCount must be at least 1.", [.. path, "sampleCount"]);
        }

        return (key, new EvaluationInput(
            OptionalText(input.GetValueOrDefault("evaluationId"), path, "evaluationId"),
            OptionalText(input.GetValueOrDefault("modelType"), path, "modelType"),
            task ?? metricTask,
            OptionalText(input.GetValueOrDefault("modelVersion"), path, "modelVersion"),
            Timestamp(input.GetValueOrDefault("evaluatedAt") as DateTime?, now, path, "evaluatedAt"),
            sampleCount,
            metrics));
    }

    /// <summary>A metric set with at least one metric, each finite and in its range.</summary>
    public static MetricSet Metrics(IReadOnlyDictionary<string, object?> metrics, params object[] path)
    {
        var set = new MetricSet(
            MetricValue(metrics, "rSquared", Metric.RSquared, path),
            MetricValue(metrics, "rmse", Metric.Rmse, path),
            MetricValue(metrics, "mae", Metric.Mae, path),
            MetricValue(metrics, "mape", Metric.Mape, path),
            MetricValue(metrics, "accuracy", Metric.Accuracy, path),
            MetricValue(metrics, "precision", Metric.Precision, path),
            MetricValue(metrics, "recall", Metric.Recall, path),
            MetricValue(metrics, "f1", Metric.F1, path));
        if (!HasRegression(set) && !HasClassification(set))
        {
            throw ServiceException.BadInput("At least one metric is required.", path);
        }
        return set;
    }

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

    /// <summary>Longest artifact JSON a version carries: coefficients or a URI, not the model's weights.</summary>
    public const int MaxArtifactLength = 65_536;

    /// <summary>registerVersion: the monitor, a version name like modelVersion's, optional metrics and artifact.</summary>
    public static (MonitorKey Key, string Version, MetricSet? Metrics, string? ArtifactJson) Version(IReadOnlyDictionary<string, object?> input, params object[] path)
    {
        var key = Key(input.GetValueOrDefault("modelId"), input.GetValueOrDefault("machineId"), path);
        var version = OptionalText(input.GetValueOrDefault("version"), path, "version")
            ?? throw ServiceException.BadInput("version is required.", [.. path, "version"]);
        var metrics = input.GetValueOrDefault("metrics") is IReadOnlyDictionary<string, object?> m ? Metrics(m, [.. path, "metrics"]) : null;
        var artifact = (input.GetValueOrDefault("artifact") as JsonNode)?.ToJsonString();
        if (artifact is { Length: > MaxArtifactLength })
        {
            throw ServiceException.BadInput($"artifact must be at most {MaxArtifactLength} characters of JSON.", [.. path, "artifact"]);
        }
        return (key, version, metrics, artifact);
    }

    /// <summary>
    /// configureMonitor: absent settings keep their value, and an explicit null trainerUrl goes back to the built-in
    /// trainer. The ranges are the monitors' own (<see cref="MonitorConfigRules"/>), checked here before any grain call.
    /// </summary>
    public static MonitorConfigPatch Config(IReadOnlyDictionary<string, object?> config, params object[] path)
    {
        var patch = new MonitorConfigPatch
        {
            CheckIntervalMinutes = config.GetValueOrDefault("checkIntervalMinutes") as int?,
            WarningDegradation = Number(config, "warningDegradation"),
            CriticalDegradation = Number(config, "criticalDegradation"),
            MinSamples = config.GetValueOrDefault("minSamples") as int?,
            ReferenceSize = config.GetValueOrDefault("referenceSize") as int?,
            WindowSize = config.GetValueOrDefault("windowSize") as int?,
            KsAlpha = Number(config, "ksAlpha"),
            DistanceThreshold = Number(config, "distanceThreshold"),
            DriftShareThreshold = Number(config, "driftShareThreshold"),
            NoDataMinutes = config.GetValueOrDefault("noDataMinutes") as int?,
            AutoRetrain = config.GetValueOrDefault("autoRetrain") as bool?,
            RetrainCooldownMinutes = config.GetValueOrDefault("retrainCooldownMinutes") as int?,
            RetrainIntervalHours = config.GetValueOrDefault("retrainIntervalHours") as int?,
            PromotionPolicy = config.GetValueOrDefault("promotionPolicy") as PromotionPolicy?,
            PositiveLabel = config.GetValueOrDefault("positiveLabel") as string,
            TrainerUrl = config.GetValueOrDefault("trainerUrl") as string,
            ClearTrainerUrl = config.TryGetValue("trainerUrl", out var url) && url is null,
        };
        try
        {
            MonitorConfigRules.CheckFields(patch);
        }
        catch (ServiceException e)
        {
            throw new ServiceException(e.Code, e.Message, [.. path, .. e.Path]);
        }
        return patch;
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

    private static ModelTask TaskOf(MetricSet metrics, object[] path)
    {
        var regression = HasRegression(metrics);
        if (regression && HasClassification(metrics))
        {
            throw ServiceException.BadInput("Regression metrics (rSquared, rmse, mae, mape) and classification metrics (accuracy, precision, recall, f1) cannot be mixed.", path);
        }
        return regression ? ModelTask.Regression : ModelTask.Classification;
    }

    private static double? MetricValue(IReadOnlyDictionary<string, object?> metrics, string name, Metric metric, object[] path)
    {
        var value = Number(metrics, name);
        if (value is { } v)
        {
            CheckMetricValue(v, metric, name, path);
        }
        return value;
    }

    /// <summary>A value of <paramref name="metric"/>: finite and in <see cref="RangeOf"/>; the error names <paramref name="name"/> under the path.</summary>
    public static void CheckMetricValue(double value, Metric metric, string name, params object[] path)
    {
        var (min, max) = RangeOf(metric);
        if (!(double.IsFinite(value) && value >= min && value <= max))
        {
            var range = (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max)) switch
            {
                (true, _) => $"at most {max}",
                (_, true) => $"at least {min}",
                _ => $"between {min} and {max}",
            };
            throw ServiceException.BadInput($"{name} must be a finite number {range}.", [.. path, name]);
        }
    }

    private static bool HasRegression(MetricSet m) => m.RSquared.HasValue || m.Rmse.HasValue || m.Mae.HasValue || m.Mape.HasValue;

    private static bool HasClassification(MetricSet m) => m.Accuracy.HasValue || m.Precision.HasValue || m.Recall.HasValue || m.F1.HasValue;

    private static DateTime? Timestamp(DateTime? value, DateTime now, object[] prefix, string field)
    {
        if (value is not { } t)
        {
            return null;
        }
        if (t < Earliest)
        {
            throw ServiceException.BadInput("Timestamps before 2000-01-01T00:00:00Z are not accepted.", [.. prefix, field]);
        }
        if (t > now + AllowedClockSkew)
        {
            throw ServiceException.BadInput("Timestamps more than 5 minutes in the future are not accepted.", [.. prefix, field]);
        }
        return t;
    }

    private static string Id(object? value, object[] prefix, string field)
    {
        var id = value?.ToString();
        if (!MonitorKey.IsValidId(id))
        {
            throw ServiceException.BadInput($"{field} must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", [.. prefix, field]);
        }
        return id!;
    }

    /// <summary>The values a metric may take: R² at most 1, errors at least 0, classification metrics 0 to 1.</summary>
    public static (double Min, double Max) RangeOf(Metric metric) => metric switch
    {
        Metric.RSquared => (double.NegativeInfinity, 1),
        Metric.Rmse or Metric.Mae or Metric.Mape => (0, double.PositiveInfinity),
        _ => (0, 1),
    };

    /// <summary>Null, or 1 to <see cref="MaxTextLength"/> characters.</summary>
    public static string? OptionalText(object? value, object[] prefix, string field)
    {
        var text = value?.ToString();
        if (text is not null && (text.Length == 0 || text.Length > MaxTextLength))
        {
            throw ServiceException.BadInput($"{field} must be 1 to {MaxTextLength} characters.", [.. prefix, field]);
        }
        return text;
    }

    /// <summary>A list argument of 1 to <see cref="MaxItemsPerCall"/> items.</summary>
    public static void Count(int count, string what, params object[] path)
    {
        if (count is < 1 or > MaxItemsPerCall)
        {
            throw ServiceException.BadInput($"One call takes 1 to {MaxItemsPerCall} {what}; this one has {count}.", path);
        }
    }

    private static double? FiniteOrNull(IReadOnlyDictionary<string, object?> map, string name, object[] path)
    {
        var value = Number(map, name);
        if (value is { } v && !double.IsFinite(v))
        {
            throw ServiceException.BadInput($"{name} must be a finite number.", [.. path, name]);
        }
        return value;
    }

    private static double? Number(IReadOnlyDictionary<string, object?> map, string name) => map.GetValueOrDefault(name) switch
    {
        null => null,
        double d => d,
        var other => Convert.ToDouble(other, System.Globalization.CultureInfo.InvariantCulture),
    };




    private static IReadOnlyDictionary<string, object?> AsMap(object? value, params object[] path) =>
        value as IReadOnlyDictionary<string, object?> ?? throw ServiceException.BadInput("An input object is required.", path);

}
