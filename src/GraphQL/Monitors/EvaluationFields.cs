using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// One <c>RecordEvaluationInput</c> as GraphQL coerced it, before the service's rules (<see cref="InputValidator"/>):
/// read from GraphQL.NET's dictionaries, or straight from a batch's JSON (<see cref="EvaluationListJsonReader"/>).
/// IDs stay objects because GraphQL lets an ID arrive as a number; <see cref="Metrics"/> is null when the input had none.
/// </summary>
public sealed record EvaluationFields(
    object? EvaluationId,
    object? ModelId,
    object? MachineId,
    object? ModelType,
    ModelTask? Task,
    object? ModelVersion,
    DateTime? EvaluatedAt,
    int? SampleCount,
    MetricSet? Metrics)
{
    /// <summary>The fields of a coerced input object; a metrics value that is not an input object stays null.</summary>
    public static EvaluationFields Of(IReadOnlyDictionary<string, object?> input) => new(
        input.GetValueOrDefault("evaluationId"),
        input.GetValueOrDefault("modelId"),
        input.GetValueOrDefault("machineId"),
        input.GetValueOrDefault("modelType"),
        input.GetValueOrDefault("task") as ModelTask?,
        input.GetValueOrDefault("modelVersion"),
        input.GetValueOrDefault("evaluatedAt") as DateTime?,
        input.GetValueOrDefault("sampleCount") as int?,
        input.GetValueOrDefault("metrics") is IReadOnlyDictionary<string, object?> metrics ? MetricsOf(metrics) : null);

    /// <summary>The eight metrics of a coerced <c>MetricSetInput</c>, unchecked.</summary>
    public static MetricSet MetricsOf(IReadOnlyDictionary<string, object?> metrics)
    {
        Span<double?> values = stackalloc double?[MetricSetInputGraphType.FieldNames.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = InputValidator.Number(metrics, MetricSetInputGraphType.FieldNames[i]);
        }
        return Of(values);
    }

    /// <summary>A metric set of values indexed by <see cref="Metric"/>.</summary>
    public static MetricSet Of(ReadOnlySpan<double?> values) =>
        new(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
}
