using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Grains.Trainers;

/// <summary>The job cannot be done (too few samples, no numeric feature, a singular system...); the message says why.</summary>
public sealed class TrainingException(string message) : Exception(message);

/// <summary>What the built-in trainer produced, measured on the holdout against the recorded predictions.</summary>
public sealed record TrainingOutcome(MetricSet MetricsBefore, MetricSet MetricsAfter, double? Improvement, string ArtifactJson, string HyperparametersJson);

/// <summary>
/// The built-in trainer (SEMANTICS.md, Retraining and versions): on samples with actuals in time order, fit on the
/// first 80% and hold out the rest, on the numeric features that every sample has. REGRESSION: least squares with
/// intercept, solved by QR (MathNet). CLASSIFICATION: binary logistic regression with scikit-learn's default L2 penalty.
/// </summary>
public static class BuiltInTrainer
{
    public const double TrainFraction = 0.8;
    public const int MinSamples = 10;

    /// <summary>Relative size below which a diagonal entry of R counts as zero.</summary>
    private const double RankTolerance = 1e-10;

    /// <summary>The logistic fit's L2 penalty on the coefficients (1 / C of scikit-learn's default C = 1).</summary>
    public const double Penalty = 1.0;

    public static TrainingOutcome Train(IReadOnlyList<PredictionSample> samples, ModelTask? task, string positiveLabel)
    {
        if (task is null)
        {
            throw new TrainingException("the monitor has no data yet: the built-in trainer needs samples with actuals");
        }
        var usable = WithActuals(samples);
        if (usable.Count < MinSamples)
        {
            throw new TrainingException($"too few samples with actuals: {usable.Count}, the built-in trainer needs at least {MinSamples}");
        }
        var features = usable[0].Features?.Where(f => f.Value.IsNumeric).Select(f => f.Key)
            .Where(name => usable.All(s => s.Features is { } fs && fs.TryGetValue(name, out var v) && v.IsNumeric))
            .Order(StringComparer.Ordinal).ToList() ?? [];
        if (features.Count == 0)
        {
            throw new TrainingException("no numeric feature that every sample has: the built-in trainer needs at least one");
        }
        var trainCount = (int)Math.Floor(TrainFraction * usable.Count);
        if (trainCount < features.Count + 2 || usable.Count - trainCount < 2)
        {
            throw new TrainingException($"too few samples for {features.Count} features: {usable.Count} with actuals, {features.Count + 2} to fit and 2 to hold out at least");
        }
        var rows = usable.Select(s => features.Select(name => s.Features![name].Number).ToArray()).ToArray();
        return task == ModelTask.Regression
            ? Regression(usable, rows, features, trainCount)
            : Classification(usable, rows, features, trainCount, positiveLabel);
    }

    /// <summary>Least squares with intercept by QR (MathNet), on the first trainCount rows.</summary>
    private static TrainingOutcome Regression(List<PredictionSample> usable, double[][] rows, List<string> features, int trainCount)
    {
        var design = Design.WithIntercept(rows[..trainCount], features.Count);
        var target = Vector<double>.Build.Dense(trainCount, i => usable[i].Actual!.Value);
        var qr = design.QR();
        // Rank by R's diagonal against its largest entry, as least-squares solvers cut off (numpy's rcond): a column
        // that is another's multiple leaves a diagonal entry that is rounding error, not zero.
        var diagonal = qr.R.Diagonal().PointwiseAbs();
        if (diagonal.Minimum() <= diagonal.Maximum() * RankTolerance)
        {
            throw new TrainingException("the features are linearly dependent on the training samples (singular system)");
        }
        var solution = qr.Solve(target);
        var fit = new LinearFit(solution[0], solution.SubVector(1, features.Count).ToArray());

        var holdout = Enumerable.Range(trainCount, usable.Count - trainCount).ToList();
        var actual = holdout.Select(i => usable[i].Actual!.Value).ToArray();
        var before = RegressionMetrics.Compute(actual, holdout.Select(i => usable[i].Predicted!.Value).ToArray()).ToMetricSet();
        var after = RegressionMetrics.Compute(actual, holdout.Select(i => Linear(fit, rows[i])).ToArray()).ToMetricSet();
        var artifact = JsonSerializer.Serialize(new { kind = "linear", intercept = fit.Intercept, coefficients = Coefficients(fit, features) });
        var hyperparameters = JsonSerializer.Serialize(new { trainer = "least-squares", trainFraction = TrainFraction, trainSamples = trainCount, holdoutSamples = holdout.Count });
        return new TrainingOutcome(before, after, Improvement(before.Rmse, after.Rmse), artifact, hyperparameters);
    }

    /// <summary>Binary logistic regression (L2 penalty 1, scikit-learn's default) for the positive label against the other one.</summary>
    private static TrainingOutcome Classification(List<PredictionSample> usable, double[][] rows, List<string> features, int trainCount, string positiveLabel)
    {
        var labels = usable.SelectMany(s => new[] { s.ActualLabel!, s.PredictedLabel! }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (labels.Count > 2)
        {
            throw new TrainingException($"binary logistic regression takes two labels; found {labels.Count}: {string.Join(", ", labels.Take(10))}");
        }
        if (labels.Count < 2 || !labels.Contains(positiveLabel))
        {
            throw new TrainingException($"binary logistic regression needs the positive label '{positiveLabel}' and one other; found {string.Join(", ", labels)}");
        }
        var negativeLabel = labels.Single(l => l != positiveLabel);
        var fit = LogisticRegression.Fit(rows[..trainCount], usable.Take(trainCount).Select(s => s.ActualLabel == positiveLabel).ToArray(), Penalty);

        var holdout = Enumerable.Range(trainCount, usable.Count - trainCount).ToList();
        var actual = holdout.Select(i => usable[i].ActualLabel!).ToList();
        var recorded = holdout.Select(i => usable[i].PredictedLabel!).ToList();
        var candidate = holdout.Select(i => LogisticRegression.Sigmoid(Linear(fit, rows[i])) >= 0.5 ? positiveLabel : negativeLabel).ToList();
        var before = ClassificationMetrics.Compute(actual, recorded, positiveLabel).ToMetricSet();
        var after = ClassificationMetrics.Compute(actual, candidate, positiveLabel).ToMetricSet();
        var artifact = JsonSerializer.Serialize(new { kind = "logistic", intercept = fit.Intercept, coefficients = Coefficients(fit, features), positiveLabel, negativeLabel });
        var hyperparameters = JsonSerializer.Serialize(new { trainer = "logistic-regression", trainFraction = TrainFraction, l2 = Penalty, trainSamples = trainCount, holdoutSamples = holdout.Count });
        return new TrainingOutcome(before, after, RelativeRise(before.F1, after.F1), artifact, hyperparameters);
    }

    private static double Linear(LinearFit fit, double[] row)
    {
        var value = fit.Intercept;
        for (var j = 0; j < row.Length; j++)
        {
            value += fit.Coefficients[j] * row[j];
        }
        return value;
    }

    private static Dictionary<string, double> Coefficients(LinearFit fit, List<string> features) =>
        features.Select((name, j) => (name, value: fit.Coefficients[j])).ToDictionary(f => f.name, f => f.value);

    /// <summary>The relative rise of F1; a zero F1 before counts 0 when unchanged, else +1 (better).</summary>
    private static double? RelativeRise(double? before, double? after) => (before, after) switch
    {
        ({ } b, { } a) when Math.Abs(b) >= Degradation.ZeroTolerance => (a - b) / b,
        ({ } b, { } a) => Math.Abs(a - b) < Degradation.ZeroTolerance ? 0 : 1,
        _ => null,
    };

    /// <summary>The samples a trainer learns from: those with both a prediction and an actual, in the order given.</summary>
    public static List<PredictionSample> WithActuals(IReadOnlyList<PredictionSample> samples) =>
        samples.Where(s => (s.Predicted.HasValue && s.Actual.HasValue) || (s.PredictedLabel is not null && s.ActualLabel is not null)).ToList();

    /// <summary>The recorded predictions' metrics on the holdout, the last 20% of the samples with actuals; null with fewer than 2 there.</summary>
    public static MetricSet? HoldoutBefore(IReadOnlyList<PredictionSample> samples)
    {
        var usable = WithActuals(samples).Where(s => s.Actual.HasValue).ToList();
        var holdout = usable.Skip((int)Math.Floor(TrainFraction * usable.Count)).ToList();
        return holdout.Count < 2 ? null
            : RegressionMetrics.Compute(holdout.Select(s => s.Actual!.Value).ToArray(), holdout.Select(s => s.Predicted!.Value).ToArray()).ToMetricSet();
    }

    /// <summary>The relative drop of RMSE; a zero RMSE before counts 0 when unchanged, else -1 (worse).</summary>
    public static double? Improvement(double? before, double? after) => (before, after) switch
    {
        ({ } b, { } a) when Math.Abs(b) >= Degradation.ZeroTolerance => (b - a) / b,
        ({ } b, { } a) => Math.Abs(a - b) < Degradation.ZeroTolerance ? 0 : -1,
        _ => null,
    };
}
