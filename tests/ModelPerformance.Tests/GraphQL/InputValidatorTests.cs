using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Monitors;
using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.Tests.GraphQL;

public sealed class InputValidatorTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 20, 0, 0, DateTimeKind.Utc);

    private static Dictionary<string, object?> Input(Dictionary<string, object?> metrics, DateTime? evaluatedAt = null, int? sampleCount = null) => new()
    {
        ["modelId"] = "model-1",
        ["machineId"] = "machine-1",
        ["metrics"] = metrics,
        ["evaluatedAt"] = evaluatedAt,
        ["sampleCount"] = sampleCount,
    };

    private static ServiceException Rejects(Action validate)
    {
        var e = Assert.Throws<ServiceException>(validate);
        Assert.Equal(ErrorCode.BadUserInput, e.Code);
        return e;
    }

    [Theory]
    [InlineData("rmse", -0.1)]
    [InlineData("mape", -1)]
    [InlineData("rSquared", 1.01)]
    [InlineData("accuracy", 1.5)]
    [InlineData("f1", -0.2)]
    [InlineData("mae", double.PositiveInfinity)]
    [InlineData("recall", double.NaN)]
    public void An_out_of_range_or_non_finite_metric_is_rejected_at_its_path(string metric, double value)
    {
        var e = Rejects(() => InputValidator.Evaluations([Input(new() { [metric] = value })], Now));

        Assert.Equal(["inputs", "0", "metrics", metric], e.Path);
    }

    [Fact]
    public void An_evaluation_without_any_metric_is_rejected()
    {
        var e = Rejects(() => InputValidator.Evaluation(Input([]), Now, "input"));

        Assert.Equal(["input", "metrics"], e.Path);
    }

    [Theory]
    [InlineData(1999, 12, 31)]
    [InlineData(2026, 11, 27)]
    public void An_evaluation_time_before_2000_or_beyond_five_minutes_ahead_is_rejected(int year, int month, int day)
    {
        var e = Rejects(() => InputValidator.Evaluation(Input(new() { ["rmse"] = 1.0 }, new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc)), Now, "input"));

        Assert.Equal(["input", "evaluatedAt"], e.Path);
    }

    [Fact]
    public void A_clock_four_minutes_ahead_is_accepted()
    {
        var (_, input) = InputValidator.Evaluation(Input(new() { ["rmse"] = 1.0 }, Now.AddMinutes(4)), Now, "input");

        Assert.Equal(Now.AddMinutes(4), input.EvaluatedAt);
    }

    [Fact]
    public void A_sample_count_below_one_is_rejected()
    {
        var e = Rejects(() => InputValidator.Evaluation(Input(new() { ["rmse"] = 1.0 }, sampleCount: 0), Now, "input"));

        Assert.Equal(["input", "sampleCount"], e.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void Zero_or_more_than_ten_thousand_evaluations_are_rejected(int count)
    {
        var inputs = Enumerable.Range(0, count).Select(_ => (object?)Input(new() { ["rmse"] = 1.0 })).ToList();

        var e = Rejects(() => InputValidator.Evaluations(inputs, Now));

        Assert.Equal(["inputs"], e.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("has space")]
    public void A_bad_id_is_rejected(string id)
    {
        var e = Rejects(() => InputValidator.Key(id, "machine-1", "input"));

        Assert.Equal(["input", "modelId"], e.Path);
    }

    [Fact]
    public void A_uuid_is_a_valid_id()
    {
        var id = Guid.NewGuid().ToString();

        Assert.Equal(id, InputValidator.Key(id, "m").ModelId);
    }

    [Fact]
    public void Features_become_numbers_and_texts_and_nulls_are_skipped()
    {
        var features = InputValidator.Features(JsonNode.Parse("""{"load": 3.5, "shift": "night", "gap": null}"""), "f")!;

        Assert.Equal(2, features.Count);
        Assert.Equal(FeatureValue.Of(3.5), features["load"]);
        Assert.Equal(FeatureValue.Of("night"), features["shift"]);
    }

    [Theory]
    [InlineData("""{"site": {"id": 1}}""", "site")]
    [InlineData("""{"loads": [1, 2]}""", "loads")]
    [InlineData("""{"on": true}""", "on")]
    public void A_feature_that_is_not_a_number_or_string_is_rejected_by_name(string json, string feature)
    {
        var e = Rejects(() => InputValidator.Features(JsonNode.Parse(json), "features"));

        Assert.Equal(["features", feature], e.Path);
    }

    [Fact]
    public void Features_that_are_not_an_object_are_rejected()
    {
        Rejects(() => InputValidator.Features(JsonNode.Parse("[1, 2]"), "features"));
    }

    [Fact]
    public void More_than_256_features_are_rejected()
    {
        var features = new JsonObject(Enumerable.Range(0, 257).Select(i => KeyValuePair.Create($"f{i}", (JsonNode?)JsonValue.Create(i))));

        Rejects(() => InputValidator.Features(features, "features"));
    }

    [Fact]
    public void Long_feature_names_and_texts_are_rejected()
    {
        Rejects(() => InputValidator.Features(new JsonObject { [new string('k', 129)] = 1 }, "features"));
        Rejects(() => InputValidator.Features(new JsonObject { ["k"] = new string('v', 257) }, "features"));
    }

    [Theory]
    [InlineData("checkIntervalMinutes", 0)]
    [InlineData("minSamples", 0)]
    [InlineData("referenceSize", 9)]
    [InlineData("windowSize", 100_001)]
    [InlineData("ksAlpha", 1.0)]
    [InlineData("distanceThreshold", 0.0)]
    [InlineData("driftShareThreshold", 1.5)]
    [InlineData("noDataMinutes", -1)]
    [InlineData("retrainCooldownMinutes", -1)]
    [InlineData("warningDegradation", 0.0)]
    [InlineData("positiveLabel", "")]
    [InlineData("trainerUrl", "ftp://trainer/jobs")]
    [InlineData("trainerUrl", "/relative")]
    public void An_out_of_range_setting_is_rejected_at_its_path(string setting, object value)
    {
        var e = Rejects(() => InputValidator.Config(new Dictionary<string, object?> { [setting] = value }, "config"));

        Assert.Equal(["config", setting], e.Path);
    }

    [Fact]
    public void An_explicit_null_trainer_url_clears_it_and_an_absent_one_keeps_it()
    {
        Assert.True(InputValidator.Config(new Dictionary<string, object?> { ["trainerUrl"] = null }, "config").ClearTrainerUrl);
        Assert.False(InputValidator.Config(new Dictionary<string, object?> { ["windowSize"] = 50 }, "config").ClearTrainerUrl);
    }

    [Fact]
    public void A_sample_with_numbers_and_labels_is_rejected()
    {
        var input = new Dictionary<string, object?>
        {
            ["modelId"] = "m",
            ["machineId"] = "x",
            ["samples"] = new List<object?> { new Dictionary<string, object?> { ["predicted"] = 1.0, ["predictedLabel"] = "a" } },
        };

        var e = Rejects(() => InputValidator.Predictions(input, Now, "input"));

        Assert.Equal(["input", "samples", "0"], e.Path);
    }
}
