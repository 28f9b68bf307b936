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
/// first 80% and hold out the rest. REGRESSION: least squares with intercept on the numeric features that every
/// sample has, solved by QR (MathNet).
/// </summary>
public static class BuiltInTrainer
{
    public const double TrainFraction = 0.8;
    public const int MinSamples = 10;

    /// <summary>Relative size below which a diagonal entry of R counts as zero.</summary>
    private const double RankTolerance = 1e-10;

    public static TrainingOutcome Train(IReadOnlyList<PredictionSample> samples, ModelTask? task)
    {
        if (task != ModelTask.Regression)
        {
            throw new TrainingException(task is null
                ? "the monitor has no data yet: the built-in trainer needs samples with actuals"
                : "the built-in trainer fits REGRESSION monitors; CLASSIFICATION needs an external trainer (trainerUrl) in this version");
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
            throw new TrainingException("no numeric feature that every sample has: least squares needs at least one");
        }
        var trainCount = (int)Math.Floor(TrainFraction * usable.Count);
        if (trainCount < features.Count + 2 || usable.Count - trainCount < 2)
        {
            throw new TrainingException($"too few samples for {features.Count} features: {usable.Count} with actuals, {features.Count + 2} to fit and 2 to hold out at least");
        }
        var design = Matrix<double>.Build.Dense(trainCount, features.Count + 1, (i, j) => j == 0 ? 1 : usable[i].Features![features[j - 1]].Number);
        var target = Vector<double>.Build.Dense(trainCount, i => usable[i].Actual!.Value);
        var qr = design.QR();
        // Rank by R's diagonal against its largest entry, as least-squares solvers cut off (numpy's rcond): a column
        // that is another's multiple leaves a diagonal entry that is rounding error, not zero.
        var diagonal = qr.R.Diagonal().PointwiseAbs();
        if (diagonal.Minimum() <= diagonal.Maximum() * RankTolerance)
        {
            throw new TrainingException("the features are linearly dependent on the training samples (singular system)");
        }
        var coefficients = qr.Solve(target);

        var holdout = usable.Skip(trainCount).ToList();
        var actual = holdout.Select(s => s.Actual!.Value).ToArray();
        var recorded = holdout.Select(s => s.Predicted!.Value).ToArray();
        var candidate = holdout.Select(s => coefficients[0] + features.Select((name, j) => coefficients[j + 1] * s.Features![name].Number).Sum()).ToArray();
        var before = RegressionMetrics.Compute(actual, recorded).ToMetricSet();
        var after = RegressionMetrics.Compute(actual, candidate).ToMetricSet();
        var artifact = JsonSerializer.Serialize(new
        {
            kind = "linear",
            intercept = coefficients[0],
            coefficients = features.Select((name, j) => (name, value: coefficients[j + 1])).ToDictionary(f => f.name, f => f.value),
        });
        var hyperparameters = JsonSerializer.Serialize(new { trainer = "least-squares", trainFraction = TrainFraction, trainSamples = trainCount, holdoutSamples = holdout.Count });
        return new TrainingOutcome(before, after, Improvement(before.Rmse, after.Rmse), artifact, hyperparameters);
    }

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
