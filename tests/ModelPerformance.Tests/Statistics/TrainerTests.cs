using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Trainers;

namespace ModelPerformance.Tests.Statistics;

/// <summary>The built-in trainer against numpy.linalg.lstsq (trainer_reference.py), and the jobs it refuses.</summary>
public sealed class TrainerTests
{
    private static JsonNode Case(string name)
    {
        using var stream = typeof(TrainerTests).Assembly.GetManifestResourceStream("Statistics.trainer.json")
            ?? throw new InvalidOperationException("trainer.json is not embedded");
        return JsonNode.Parse(stream)!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
    }

    private static List<PredictionSample> Samples(JsonNode reference)
    {
        var x = reference["x"]!.AsArray();
        var actual = reference["actual"]!.AsArray();
        var predicted = reference["predicted"]!.AsArray();
        return x.Select((row, i) => new PredictionSample(null, predicted[i]!.GetValue<double>(), actual[i]!.GetValue<double>(), null, null,
            row!.AsArray().Select((v, j) => (name: $"f{j:D2}", value: FeatureValue.Of(v!.GetValue<double>()))).ToDictionary(f => f.name, f => f.value))).ToList();
    }

    [Theory]
    [InlineData("200 rows, 5 features")]
    [InlineData("1000 rows, 20 features")]
    public void The_fit_is_numpys_lstsq_and_recovers_the_true_coefficients(string name)
    {
        var reference = Case(name);

        var outcome = BuiltInTrainer.Train(Samples(reference), ModelTask.Regression, "1");

        var artifact = JsonNode.Parse(outcome.ArtifactJson)!;
        var coefficients = reference["coefficients"]!.AsArray().Select(c => c!.GetValue<double>()).ToArray();
        var truth = reference["trueCoefficients"]!.AsArray().Select(c => c!.GetValue<double>()).ToArray();
        Assert.Equal("linear", artifact["kind"]!.GetValue<string>());
        Assert.Equal(reference["intercept"]!.GetValue<double>(), artifact["intercept"]!.GetValue<double>(), 1e-8);
        for (var j = 0; j < coefficients.Length; j++)
        {
            var fitted = artifact["coefficients"]![$"f{j:D2}"]!.GetValue<double>();
            Assert.Equal(coefficients[j], fitted, 1e-9);
            Assert.Equal(truth[j], fitted, 0.1);
        }
        Assert.Equal(reference["rmseBefore"]!.GetValue<double>(), outcome.MetricsBefore.Rmse!.Value, 1e-9);
        Assert.Equal(reference["rmseAfter"]!.GetValue<double>(), outcome.MetricsAfter.Rmse!.Value, 1e-9);
        var expected = (reference["rmseBefore"]!.GetValue<double>() - reference["rmseAfter"]!.GetValue<double>()) / reference["rmseBefore"]!.GetValue<double>();
        Assert.Equal(expected, outcome.Improvement!.Value, 1e-9);
    }

    [Theory]
    [InlineData("noisy")]
    [InlineData("separable")]
    public void The_logistic_fit_is_scikit_learns(string name)
    {
        using var stream = typeof(TrainerTests).Assembly.GetManifestResourceStream("Statistics.logistic.json")
            ?? throw new InvalidOperationException("logistic.json is not embedded");
        var reference = JsonNode.Parse(stream)!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var labels = reference["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        var samples = reference["x"]!.AsArray().Select((row, i) => new PredictionSample(null, null, null, "1", labels[i],
            row!.AsArray().Select((v, j) => (name: $"f{j:D2}", value: FeatureValue.Of(v!.GetValue<double>()))).ToDictionary(f => f.name, f => f.value))).ToList();

        var outcome = BuiltInTrainer.Train(samples, ModelTask.Classification, "1");

        var artifact = JsonNode.Parse(outcome.ArtifactJson)!;
        Assert.Equal("logistic", artifact["kind"]!.GetValue<string>());
        Assert.Equal("0", artifact["negativeLabel"]!.GetValue<string>());
        Assert.Equal(reference["intercept"]!.GetValue<double>(), artifact["intercept"]!.GetValue<double>(), 1e-5);
        var coefficients = reference["coefficients"]!.AsArray();
        for (var j = 0; j < coefficients.Count; j++)
        {
            Assert.Equal(coefficients[j]!.GetValue<double>(), artifact["coefficients"]![$"f{j:D2}"]!.GetValue<double>(), 1e-5);
        }
        Assert.True(outcome.MetricsAfter.Accuracy > outcome.MetricsBefore.Accuracy, $"{outcome.MetricsAfter} against {outcome.MetricsBefore}");
    }

    private static PredictionSample Sample(double x, double y, double? z = null) =>
        new(null, y + 1, y, null, null, z is null
            ? new Dictionary<string, FeatureValue> { ["x"] = FeatureValue.Of(x) }
            : new Dictionary<string, FeatureValue> { ["x"] = FeatureValue.Of(x), ["z"] = FeatureValue.Of(z.Value) });

    [Fact]
    public void Jobs_it_cannot_do_fail_with_a_reason()
    {
        var linear = Enumerable.Range(0, 40).Select(i => Sample(i, 2 * i)).ToList();
        var dependent = Enumerable.Range(0, 40).Select(i => Sample(i, 2 * i, z: 3.0 * i)).ToList();
        var categorical = Enumerable.Range(0, 40).Select(i => new PredictionSample(null, 1, 2, null, null,
            new Dictionary<string, FeatureValue> { ["shift"] = FeatureValue.Of("night") })).ToList();

        Assert.Contains("too few samples", Assert.Throws<TrainingException>(() => BuiltInTrainer.Train(linear.Take(9).ToList(), ModelTask.Regression, "1")).Message);
        Assert.Contains("singular", Assert.Throws<TrainingException>(() => BuiltInTrainer.Train(dependent, ModelTask.Regression, "1")).Message);
        Assert.Contains("no numeric feature", Assert.Throws<TrainingException>(() => BuiltInTrainer.Train(categorical, ModelTask.Regression, "1")).Message);
        var threeLabels = Enumerable.Range(0, 40).Select(i => new PredictionSample(null, null, null, (i % 3).ToString(), "0", linear[i].Features)).ToList();
        Assert.Contains("two labels; found 3", Assert.Throws<TrainingException>(() => BuiltInTrainer.Train(threeLabels, ModelTask.Classification, "1")).Message);
        Assert.Equal(1.0, BuiltInTrainer.Train(linear, ModelTask.Regression, "1").Improvement!.Value, 9);
    }
}
