using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// The last <see cref="Capacity"/> prediction samples, stored by column in ring arrays: a monitor with a
/// window of 1,000 samples and 10 numeric features holds about 12 doubles per sample and no per-sample
/// objects, so memory stays near the raw size of the values and drift tests read whole columns.
/// A missing numeric value is NaN, a missing label or category is null.
/// </summary>
[GenerateSerializer, Alias("SampleWindow")]
public sealed class SampleWindow
{
    public SampleWindow(int capacity, bool rolls)
    {
        Capacity = capacity;
        Rolls = rolls;
        Predicted = [];
        Actual = [];
        PredictedLabels = [];
        ActualLabels = [];
    }

    [Id(0)] public int Capacity { get; private set; }

    /// <summary>True for the rolling window; false for the drift reference, which fills once and freezes.</summary>
    [Id(1)] public bool Rolls { get; private set; }

    /// <summary>Index of the oldest sample.</summary>
    [Id(2)] public int Start { get; private set; }

    [Id(3)] public int Count { get; private set; }

    [Id(4)] public double[] Predicted { get; private set; }
    [Id(5)] public double[] Actual { get; private set; }
    [Id(6)] public string?[] PredictedLabels { get; private set; }
    [Id(7)] public string?[] ActualLabels { get; private set; }
    [Id(8)] public Dictionary<string, double[]> NumericFeatures { get; private set; } = new(StringComparer.Ordinal);
    [Id(9)] public Dictionary<string, string?[]> CategoricalFeatures { get; private set; } = new(StringComparer.Ordinal);

    public bool IsFull => Count == Capacity;

    /// <summary>Adds a sample; a full window that rolls drops its oldest sample, one that does not ignores the new one.</summary>
    public bool Add(PredictionSample sample)
    {
        if (IsFull && !Rolls)
        {
            return false;
        }
        EnsureAllocated();
        int slot;
        if (IsFull)
        {
            slot = Start;
            Start = (Start + 1) % Capacity;
        }
        else
        {
            slot = (Start + Count) % Capacity;
            Count++;
        }
        Predicted[slot] = sample.Predicted ?? double.NaN;
        Actual[slot] = sample.Actual ?? double.NaN;
        PredictedLabels[slot] = sample.PredictedLabel;
        ActualLabels[slot] = sample.ActualLabel;
        foreach (var column in NumericFeatures.Values)
        {
            column[slot] = double.NaN;
        }
        foreach (var column in CategoricalFeatures.Values)
        {
            column[slot] = null;
        }
        if (sample.Features is { } features)
        {
            foreach (var (name, value) in features)
            {
                if (value.IsNumeric)
                {
                    NumericColumn(name)[slot] = value.Number;
                }
                else
                {
                    CategoricalColumn(name)[slot] = value.Text;
                }
            }
        }
        return true;
    }

    public void Clear()
    {
        Start = 0;
        Count = 0;
        NumericFeatures.Clear();
        CategoricalFeatures.Clear();
    }

    /// <summary>Changes the capacity, keeping the newest samples that fit.</summary>
    public void Resize(int capacity)
    {
        if (capacity == Capacity)
        {
            return;
        }
        if (Count == 0)
        {
            Capacity = capacity;
            Clear();
            Predicted = [];
            Actual = [];
            PredictedLabels = [];
            ActualLabels = [];
            return;
        }
        var keep = Math.Min(Count, capacity);
        var skip = Count - keep;
        Predicted = Reorder(Predicted, skip, keep, capacity, double.NaN);
        Actual = Reorder(Actual, skip, keep, capacity, double.NaN);
        PredictedLabels = Reorder(PredictedLabels, skip, keep, capacity, null);
        ActualLabels = Reorder(ActualLabels, skip, keep, capacity, null);
        foreach (var name in NumericFeatures.Keys.ToList())
        {
            NumericFeatures[name] = Reorder(NumericFeatures[name], skip, keep, capacity, double.NaN);
        }
        foreach (var name in CategoricalFeatures.Keys.ToList())
        {
            CategoricalFeatures[name] = Reorder(CategoricalFeatures[name], skip, keep, capacity, null);
        }
        Capacity = capacity;
        Start = 0;
        Count = keep;
    }

    /// <summary>The pairs of the newest <paramref name="last"/> samples (all when null) that have both a prediction and an actual.</summary>
    public (double[] Actual, double[] Predicted) NumericPairs(int? last = null)
    {
        var actual = new List<double>(Count);
        var predicted = new List<double>(Count);
        foreach (var slot in Slots(last))
        {
            if (!double.IsNaN(Actual[slot]) && !double.IsNaN(Predicted[slot]))
            {
                actual.Add(Actual[slot]);
                predicted.Add(Predicted[slot]);
            }
        }
        return (actual.ToArray(), predicted.ToArray());
    }

    /// <summary>The label pairs of the newest <paramref name="last"/> samples (all when null) that have both labels.</summary>
    public (string[] Actual, string[] Predicted) LabelPairs(int? last = null)
    {
        var actual = new List<string>(Count);
        var predicted = new List<string>(Count);
        foreach (var slot in Slots(last))
        {
            if (ActualLabels[slot] is { } a && PredictedLabels[slot] is { } p)
            {
                actual.Add(a);
                predicted.Add(p);
            }
        }
        return (actual.ToArray(), predicted.ToArray());
    }

    /// <summary>The samples, oldest first, as the built-in trainer takes them (the window keeps no timestamps).</summary>
    public IReadOnlyList<PredictionSample> Samples()
    {
        var samples = new List<PredictionSample>(Count);
        foreach (var slot in Slots())
        {
            var features = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
            foreach (var (name, column) in NumericFeatures)
            {
                if (!double.IsNaN(column[slot]))
                {
                    features[name] = FeatureValue.Of(column[slot]);
                }
            }
            foreach (var (name, column) in CategoricalFeatures)
            {
                if (column[slot] is { } text)
                {
                    features[name] = FeatureValue.Of(text);
                }
            }
            samples.Add(new PredictionSample(null,
                double.IsNaN(Predicted[slot]) ? null : Predicted[slot], double.IsNaN(Actual[slot]) ? null : Actual[slot],
                PredictedLabels[slot], ActualLabels[slot], features));
        }
        return samples;
    }

    /// <summary>Slots of the newest <paramref name="last"/> samples (all when null), oldest first.</summary>
    public IEnumerable<int> Slots(int? last = null)
    {
        var take = Math.Min(Count, last ?? Count);
        for (var i = Count - take; i < Count; i++)
        {
            yield return (Start + i) % Capacity;
        }
    }

    private void EnsureAllocated()
    {
        if (Predicted.Length == Capacity)
        {
            return;
        }
        Predicted = new double[Capacity];
        Actual = new double[Capacity];
        PredictedLabels = new string?[Capacity];
        ActualLabels = new string?[Capacity];
    }

    private double[] NumericColumn(string name)
    {
        if (!NumericFeatures.TryGetValue(name, out var column))
        {
            column = new double[Capacity];
            Array.Fill(column, double.NaN);
            NumericFeatures[name] = column;
        }
        return column;
    }

    private string?[] CategoricalColumn(string name)
    {
        if (!CategoricalFeatures.TryGetValue(name, out var column))
        {
            column = new string?[Capacity];
            CategoricalFeatures[name] = column;
        }
        return column;
    }

    private T[] Reorder<T>(T[] column, int skip, int keep, int capacity, T missing)
    {
        var result = new T[capacity];
        Array.Fill(result, missing);
        for (var i = 0; i < keep; i++)
        {
            result[i] = column[(Start + skip + i) % Capacity];
        }
        return result;
    }
}
