namespace ModelPerformance.Grains.Interfaces;

/// <summary>A feature value: a number (numeric feature) or a string (categorical feature).</summary>
[GenerateSerializer, Immutable, Alias("FeatureValue")]
public readonly record struct FeatureValue([property: Id(0)] double Number, [property: Id(1)] string? Text)
{
    public bool IsNumeric => Text is null;

    public static FeatureValue Of(double number) => new(number, null);

    public static FeatureValue Of(string text) => new(double.NaN, text);
}

/// <summary>One prediction, with its actual when known. Regression uses the numbers, classification the labels.</summary>
[GenerateSerializer, Immutable, Alias("PredictionSample")]
public sealed record PredictionSample(
    [property: Id(0)] DateTime? Timestamp,
    [property: Id(1)] double? Predicted,
    [property: Id(2)] double? Actual,
    [property: Id(3)] string? PredictedLabel,
    [property: Id(4)] string? ActualLabel,
    [property: Id(5)] IReadOnlyDictionary<string, FeatureValue>? Features);

/// <summary>A batch of predictions for one monitor (RecordPredictionsInput without the monitor key).</summary>
[GenerateSerializer, Immutable, Alias("PredictionBatch")]
public sealed record PredictionBatch(
    [property: Id(0)] string? BatchId,
    [property: Id(1)] string? ModelType,
    [property: Id(2)] ModelTask? Task,
    [property: Id(3)] string? ModelVersion,
    [property: Id(4)] IReadOnlyList<PredictionSample> Samples);
