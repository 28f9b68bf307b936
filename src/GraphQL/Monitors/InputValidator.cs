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
public static partial class InputValidator
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
        var fields = new EvaluationFields[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            fields[i] = EvaluationFields.Of(AsMap(inputs[i], argument, i));
        }
        return Evaluations(fields, now, argument);
    }

    /// <inheritdoc cref="Evaluations(IReadOnlyList{object?}, DateTime, string)"/>
    public static IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> Evaluations(IReadOnlyList<EvaluationFields> inputs, DateTime now, string argument = "inputs")
    {
        Count(inputs.Count, "evaluations", argument);
        var result = new (MonitorKey, EvaluationInput)[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            result[i] = Evaluation(inputs[i], now, argument, i);
        }
        return result;
    }

    public static (MonitorKey Key, EvaluationInput Input) Evaluation(IReadOnlyDictionary<string, object?> input, DateTime now, params object[] path) =>
        Evaluation(EvaluationFields.Of(input), now, path);

    public static (MonitorKey Key, EvaluationInput Input) Evaluation(EvaluationFields input, DateTime now, params object[] path)
    {
        // Paths of fields are built only for an error: a batch has up to 10,000 inputs.
        var key = Key(input.ModelId, input.MachineId, path);
        var metrics = input.Metrics is { } m ? Metrics(m, [.. path, "metrics"]) : throw ServiceException.BadInput("An input object is required.", [.. path, "metrics"]);
        var metricTask = TaskOf(metrics, path);
        if (input.Task is { } given && given != metricTask)
        {
            throw ServiceException.BadInput($"The metrics are those of {Names.Of(metricTask)}, but task is {Names.Of(given)}.", [.. path, "task"]);
        }
        if (input.SampleCount < 1)
        {
            throw ServiceException.BadInput("sampleCount must be at least 1.", [.. path, "sampleCount"]);
        }

        return (key, new EvaluationInput(
            OptionalText(input.EvaluationId, path, "evaluationId"),
            OptionalText(input.ModelType, path, "modelType"),
            input.Task ?? metricTask,
            OptionalText(input.ModelVersion, path, "modelVersion"),
            Timestamp(input.EvaluatedAt, now, path, "evaluatedAt"),
            input.SampleCount,
            metrics));
    }

    /// <summary>A metric set with at least one metric, each finite and in its range.</summary>
    public static MetricSet Metrics(IReadOnlyDictionary<string, object?> metrics, params object[] path) => Metrics(EvaluationFields.MetricsOf(metrics), path);

    private static readonly Metric[] AllMetrics = Enum.GetValues<Metric>();

    /// <inheritdoc cref="Metrics(IReadOnlyDictionary{string, object?}, object[])"/>
    public static MetricSet Metrics(MetricSet metrics, params object[] path)
    {
        foreach (var metric in AllMetrics)
        {
            if (metrics.Get(metric) is { } value)
            {
                CheckMetricValue(value, metric, MetricSetInputGraphType.FieldNames[(int)metric], path);
            }
        }
        if (!HasRegression(metrics) && !HasClassification(metrics))
        {
            throw ServiceException.BadInput("At least one metric is required.", path);
        }
        return metrics;
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

    private static ModelTask TaskOf(MetricSet metrics, object[] evaluationPath)
    {
        var regression = HasRegression(metrics);
        if (regression && HasClassification(metrics))
        {
            throw ServiceException.BadInput("Regression metrics (rSquared, rmse, mae, mape) and classification metrics (accuracy, precision, recall, f1) cannot be mixed.", [.. evaluationPath, "metrics"]);
        }
        return regression ? ModelTask.Regression : ModelTask.Classification;
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

    /// <summary>A Float of a coerced input: GraphQL.NET hands over doubles, other numbers are converted.</summary>
    internal static double? Number(IReadOnlyDictionary<string, object?> map, string name) => map.GetValueOrDefault(name) switch
    {
        null => null,
        double d => d,
        var other => Convert.ToDouble(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, object?> AsMap(object? value, params object[] path) =>
        value as IReadOnlyDictionary<string, object?> ?? throw ServiceException.BadInput("An input object is required.", path);
}
