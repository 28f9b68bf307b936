namespace ModelPerformance.Grains.Statistics;

/// <summary>MAE, RMSE, R² and MAPE of paired actuals and predictions (SEMANTICS "Metrics").</summary>
public static class RegressionMetrics
{
    /// <summary>Actuals this close to zero are left out of MAPE rather than divided by.</summary>
    public const double MapeZeroTolerance = 1e-9;

    /// <summary>All metrics null when there is no pair; R² null when n &lt; 2 or the actuals are constant.</summary>
    public static MetricValues Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException("actual and predicted must have the same length", nameof(predicted));
        }

        var n = actual.Length;
        if (n == 0)
        {
            return default;
        }

        double sumActual = 0, sumAbs = 0, sumSquared = 0, sumPercent = 0;
        var percentCount = 0;
        var constant = true;
        for (var i = 0; i < n; i++)
        {
            var a = actual[i];
            var error = a - predicted[i];
            var absError = Math.Abs(error);
            sumActual += a;
            sumAbs += absError;
            sumSquared += error * error;
            if (Math.Abs(a) > MapeZeroTolerance)
            {
                sumPercent += absError / Math.Abs(a);
                percentCount++;
            }

            constant &= a == actual[0];
        }

        double? rSquared = null;
        if (n >= 2 && !constant)
        {
            // Second pass about the mean: the one-pass sum of squares cancels catastrophically
            // for loads with a large offset and a small spread.
            var mean = sumActual / n;
            double total = 0;
            for (var i = 0; i < n; i++)
            {
                var d = actual[i] - mean;
                total += d * d;
            }

            rSquared = total > 0 ? 1 - sumSquared / total : null;
        }

        return new MetricValues(
            RSquared: rSquared,
            Rmse: Math.Sqrt(sumSquared / n),
            Mae: sumAbs / n,
            Mape: percentCount > 0 ? 100 * sumPercent / percentCount : null,
            Accuracy: null,
            Precision: null,
            Recall: null,
            F1: null);
    }
}
