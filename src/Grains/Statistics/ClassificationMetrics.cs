namespace ModelPerformance.Grains.Statistics;

/// <summary>Accuracy, precision, recall and F1 of paired labels (SEMANTICS "Metrics").</summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// Binary precision/recall/F1 for <paramref name="positiveLabel"/> when at most two labels occur
    /// (over actuals and predictions); otherwise macro averages over those labels, with macro F1 the
    /// mean of the per-label F1 scores (scikit-learn's average="macro"). All null when there is no pair.
    /// </summary>
    public static MetricValues Compute(IReadOnlyList<string> actual, IReadOnlyList<string> predicted, string positiveLabel)
    {
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException("actual and predicted must have the same length", nameof(predicted));
        }

        var n = actual.Count;
        if (n == 0)
        {
            return default;
        }

        // Per label: [true positives, predicted as label, actually label].
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            var a = actual[i];
            var p = predicted[i];
            Counts(counts, a)[2]++;
            Counts(counts, p)[1]++;
            if (string.Equals(a, p, StringComparison.Ordinal))
            {
                correct++;
                counts[a][0]++;
            }
        }

        double precision, recall, f1;
        if (counts.Count <= 2)
        {
            var c = counts.GetValueOrDefault(positiveLabel) ?? new int[3];
            (precision, recall, f1) = Scores(c);
        }
        else
        {
            double sumP = 0, sumR = 0, sumF = 0;
            foreach (var c in counts.Values)
            {
                var (p, r, f) = Scores(c);
                sumP += p;
                sumR += r;
                sumF += f;
            }

            precision = sumP / counts.Count;
            recall = sumR / counts.Count;
            f1 = sumF / counts.Count;
        }

        return new MetricValues(null, null, null, null, (double)correct / n, precision, recall, f1);
    }

    private static int[] Counts(Dictionary<string, int[]> counts, string label)
    {
        if (!counts.TryGetValue(label, out var c))
        {
            c = new int[3];
            counts[label] = c;
        }

        return c;
    }

    private static (double Precision, double Recall, double F1) Scores(int[] c)
    {
        var precision = c[1] == 0 ? 0 : (double)c[0] / c[1];
        var recall = c[2] == 0 ? 0 : (double)c[0] / c[2];
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }
}
