using System.Globalization;
using System.Net;

namespace ModelPerformance.Tests.GraphQL;

[Collection(GraphQLServiceCollection.Name)]
public sealed class MonitorApiTests(GraphQLServiceFixture fixture)
{
    private const string RecordEvaluations = """
        mutation Record($inputs: [RecordEvaluationInput!]!) {
          recordEvaluations(inputs: $inputs) { accepted duplicates evaluations { id modelId machineId evaluatedAt metrics { rmse } } }
        }
        """;

    private const string MonitorQuery = """
        query Monitor($modelId: ID!, $machineId: ID!) {
          monitor(modelId: $modelId, machineId: $machineId) {
            modelId machineId task evaluationCount lastEvaluatedAt
            latest { metrics { rmse } }
            config { windowSize trainerUrl }
          }
        }
        """;

    private static string NewModelId() => "model-" + Guid.NewGuid().ToString("N")[..12];

    private static object Evaluation(string modelId, double rmse, DateTime at, string machineId = "machine-1") => new
    {
        modelId,
        machineId,
        evaluatedAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        sampleCount = 10,
        metrics = new { rmse },
    };

    [Fact]
    public async Task An_unknown_monitor_is_null()
    {
        var reply = await fixture.PostAsync(MonitorQuery, new { modelId = NewModelId(), machineId = "machine-1" });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Empty(reply.Errors);
        Assert.Null(reply.Data!["monitor"]);
    }

    [Fact]
    public async Task A_bad_metric_is_reported_with_its_input_path_and_nothing_is_stored()
    {
        var modelId = NewModelId();
        var at = DateTime.UtcNow.AddMinutes(-10);
        var inputs = new[] { Evaluation(modelId, 1, at), Evaluation(modelId, 2, at), Evaluation(modelId, 3, at), Evaluation(modelId, -1, at) };

        var reply = await fixture.PostAsync(RecordEvaluations, new { inputs });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("inputs/3/metrics/rmse", reply.InputPath);
        Assert.Null(reply.Data);
        var monitor = await fixture.PostAsync(MonitorQuery, new { modelId, machineId = "machine-1" });
        Assert.Null(monitor.Data!["monitor"]);
    }

    [Fact]
    public async Task A_batch_with_one_input_of_the_wrong_task_for_its_monitor_stores_nothing_on_any_monitor()
    {
        var regression = NewModelId();
        var fresh = NewModelId();
        var at = DateTime.UtcNow.AddMinutes(-10);
        await fixture.PostAsync(RecordEvaluations, new { inputs = new[] { Evaluation(regression, 1, at) } });
        var classificationInput = new { modelId = regression, machineId = "machine-1", sampleCount = 10, metrics = new { accuracy = 0.9 } };

        var reply = await fixture.PostAsync(RecordEvaluations, new { inputs = new object[] { Evaluation(fresh, 2, at), classificationInput } });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("inputs/1/task", reply.InputPath);
        var untouched = await fixture.PostAsync(MonitorQuery, new { modelId = fresh, machineId = "machine-1" });
        Assert.Null(untouched.Data!["monitor"]);
        var known = await fixture.PostAsync(MonitorQuery, new { modelId = regression, machineId = "machine-1" });
        Assert.Equal(1, known.Data!["monitor"]!["evaluationCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bad_id_is_rejected_before_any_grain_is_called()
    {
        var reply = await fixture.PostAsync(MonitorQuery, new { modelId = "no/slash", machineId = "machine-1" });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("modelId", reply.InputPath);
    }

    [Fact]
    public async Task Recorded_evaluations_come_back_in_input_order_and_show_on_the_monitor()
    {
        var first = NewModelId();
        var second = NewModelId();
        var at = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, DateTime.UtcNow.Day, 0, 0, 0, DateTimeKind.Utc).AddDays(-1);
        var inputs = new[] { Evaluation(first, 1, at), Evaluation(second, 5, at), Evaluation(first, 2, at.AddHours(1)), Evaluation(second, 6, at.AddHours(2)) };

        var reply = await fixture.PostAsync(RecordEvaluations, new { inputs });

        Assert.Empty(reply.Errors);
        var result = reply.Data!["recordEvaluations"]!;
        Assert.Equal(4, result["accepted"]!.GetValue<int>());
        var evaluations = result["evaluations"]!.AsArray();
        Assert.Equal([first, second, first, second], evaluations.Select(e => e!["modelId"]!.GetValue<string>()));
        Assert.Equal([1.0, 5.0, 2.0, 6.0], evaluations.Select(e => e!["metrics"]!["rmse"]!.GetValue<double>()));
        Assert.Equal(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), evaluations[0]!["evaluatedAt"]!.GetValue<string>());

        var monitor = (await fixture.PostAsync(MonitorQuery, new { modelId = first, machineId = "machine-1" })).Data!["monitor"]!;
        Assert.Equal("REGRESSION", monitor["task"]!.GetValue<string>());
        Assert.Equal(2, monitor["evaluationCount"]!.GetValue<int>());
        Assert.Equal(2.0, monitor["latest"]!["metrics"]!["rmse"]!.GetValue<double>());
    }

    [Fact]
    public async Task Evaluations_and_trend_read_the_history()
    {
        var modelId = NewModelId();
        var hour = DateTime.UtcNow.Date.AddDays(-1).AddHours(3);
        var inputs = new[] { Evaluation(modelId, 1, hour.AddMinutes(5)), Evaluation(modelId, 3, hour.AddMinutes(20)), Evaluation(modelId, 10, hour.AddHours(1)) };
        Assert.Empty((await fixture.PostAsync(RecordEvaluations, new { inputs })).Errors);

        var reply = await fixture.PostAsync("""
            query Q($modelId: ID!) {
              evaluations(modelId: $modelId, machineId: "machine-1", first: 2) { metrics { rmse } }
              monitor(modelId: $modelId, machineId: "machine-1") { trend(metric: RMSE) { bucketStart count mean min max } }
            }
            """, new { modelId });

        Assert.Empty(reply.Errors);
        Assert.Equal([10.0, 3.0], reply.Data!["evaluations"]!.AsArray().Select(e => e!["metrics"]!["rmse"]!.GetValue<double>()));
        var trend = reply.Data["monitor"]!["trend"]!.AsArray();
        Assert.Equal(2, trend.Count);
        Assert.Equal(hour.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), trend[0]!["bucketStart"]!.GetValue<string>());
        Assert.Equal((2, 2.0, 1.0, 3.0), (trend[0]!["count"]!.GetValue<int>(), trend[0]!["mean"]!.GetValue<double>(), trend[0]!["min"]!.GetValue<double>(), trend[0]!["max"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Predictions_with_features_become_an_evaluation()
    {
        var modelId = NewModelId();
        var reply = await fixture.PostAsync("""
            mutation P($input: RecordPredictionsInput!) {
              recordPredictions(input: $input) { accepted duplicate evaluation { metrics { mae } } monitor { task sampleCount } }
            }
            """, new
        {
            input = new
            {
                modelId,
                machineId = "machine-1",
                samples = new object[]
                {
                    new { predicted = 1.5, actual = 1.0, features = new Dictionary<string, object?> { ["load"] = 3.5, ["shift"] = "night", ["gap"] = null } },
                    new { predicted = 2.0, actual = 3.0, features = new Dictionary<string, object?> { ["load"] = 4.0, ["shift"] = "day" } },
                },
            },
        });

        Assert.True(reply.Errors.Count == 0, reply.Text);
        var result = reply.Data!["recordPredictions"]!;
        Assert.Equal(2, result["accepted"]!.GetValue<int>());
        Assert.Equal(0.75, result["evaluation"]!["metrics"]!["mae"]!.GetValue<double>(), 12);
        Assert.Equal("REGRESSION", result["monitor"]!["task"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_nested_feature_is_rejected_naming_the_feature()
    {
        var reply = await fixture.PostAsync("""
            mutation { recordPredictions(input: { modelId: "m-nested", machineId: "x", samples: [{ predicted: 1, features: { load: 1, where: { site: "a" } } }] }) { accepted } }
            """);

        Assert.True(reply.Code == "BAD_USER_INPUT", reply.Text);
        Assert.Equal("input/samples/0/features/where", reply.InputPath);
    }

    [Fact]
    public async Task A_monitors_own_refusals_name_the_field_under_the_argument()
    {
        var modelId = NewModelId();
        var first = await fixture.PostAsync($$"""
            mutation { recordPredictions(input: { modelId: "{{modelId}}", machineId: "x", samples: [{ predicted: 1, features: { load: 1 } }] }) { accepted } }
            """);
        var kindChanged = await fixture.PostAsync($$"""
            mutation { recordPredictions(input: { modelId: "{{modelId}}", machineId: "x", samples: [{ predicted: 1, features: { load: "high" } }] }) { accepted } }
            """);
        var merged = await fixture.PostAsync($$"""
            mutation { configureMonitor(modelId: "{{modelId}}", machineId: "x", config: { warningDegradation: 0.5 }) { modelId } }
            """);

        Assert.Empty(first.Errors);
        Assert.True(kindChanged.Code == "BAD_USER_INPUT", kindChanged.Text);
        Assert.Equal("input/samples/0/features/load", kindChanged.InputPath);
        Assert.True(merged.Code == "BAD_USER_INPUT", merged.Text);
        Assert.Equal("config/criticalDegradation", merged.InputPath);
    }

    [Fact]
    public async Task Configure_monitor_creates_it_and_rejects_out_of_range_settings()
    {
        var modelId = NewModelId();
        const string configure = """
            mutation C($modelId: ID!, $config: MonitorConfigInput!) {
              configureMonitor(modelId: $modelId, machineId: "machine-1", config: $config) { modelId config { windowSize trainerUrl } }
            }
            """;

        var bad = await fixture.PostAsync(configure, new { modelId, config = new { windowSize = 5 } });
        var good = await fixture.PostAsync(configure, new { modelId, config = new { windowSize = 50, trainerUrl = "https://trainer.example/jobs" } });

        Assert.Equal("BAD_USER_INPUT", bad.Code);
        Assert.Equal("config/windowSize", bad.InputPath);
        Assert.Empty(good.Errors);
        Assert.Equal(50, good.Data!["configureMonitor"]!["config"]!["windowSize"]!.GetValue<int>());
        Assert.Equal("https://trainer.example/jobs", good.Data!["configureMonitor"]!["config"]!["trainerUrl"]!.GetValue<string>());

        var kept = await fixture.PostAsync(configure, new { modelId, config = new { windowSize = 60 } });
        var cleared = await fixture.PostAsync(configure, new Dictionary<string, object?> { ["modelId"] = modelId, ["config"] = new Dictionary<string, object?> { ["trainerUrl"] = null } });

        Assert.Equal("https://trainer.example/jobs", kept.Data!["configureMonitor"]!["config"]!["trainerUrl"]!.GetValue<string>());
        Assert.Null(cleared.Data!["configureMonitor"]!["config"]!["trainerUrl"]);
    }

    [Fact]
    public async Task A_task_mismatch_from_the_grain_keeps_the_callers_input_path()
    {
        var modelId = NewModelId();
        var at = DateTime.UtcNow.AddMinutes(-1);
        Assert.Empty((await fixture.PostAsync(RecordEvaluations, new { inputs = new[] { Evaluation(modelId, 1, at) } })).Errors);

        var reply = await fixture.PostAsync(RecordEvaluations, new
        {
            inputs = new object[]
            {
                Evaluation(NewModelId(), 1, at),
                new { modelId, machineId = "machine-1", metrics = new { accuracy = 0.9 } },
            },
        });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("inputs/1/task", reply.InputPath);
    }

    [Fact]
    public async Task Concurrent_batches_to_the_same_monitors_each_get_their_own_answer_and_store_every_evaluation_once()
    {
        // 24 requests at once over the same 3 monitors: the silo combines them into fewer grain calls per monitor.
        // Requests 0 and 1 share an evaluation id; one of the two stores it, the other is told it is a duplicate.
        var models = new[] { NewModelId(), NewModelId(), NewModelId() };
        var at = DateTime.UtcNow.AddMinutes(-5);
        object Input(int request, int i) => new
        {
            evaluationId = request < 2 && i == 0 ? $"{models[0]}-shared" : $"{models[0]}-{request}-{i}",
            modelId = models[i % 3],
            machineId = "machine-1",
            evaluatedAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            sampleCount = 10,
            metrics = new { rmse = request * 100 + i },
        };

        var replies = await Task.WhenAll(Enumerable.Range(0, 24).Select(request =>
            fixture.PostAsync(RecordEvaluations, new { inputs = Enumerable.Range(0, 9).Select(i => Input(request, i)).ToArray() })));

        for (var request = 0; request < replies.Length; request++)
        {
            Assert.Empty(replies[request].Errors);
            var result = replies[request].Data!["recordEvaluations"]!;
            var evaluations = result["evaluations"]!.AsArray();
            Assert.Equal(Enumerable.Range(0, 9).Select(i => models[i % 3]), evaluations.Select(e => e!["modelId"]!.GetValue<string>()));
            if (request >= 2)
            {
                Assert.Equal(Enumerable.Range(0, 9).Select(i => (double)(request * 100 + i)), evaluations.Select(e => e!["metrics"]!["rmse"]!.GetValue<double>()));
            }
        }
        var sharedAnswers = replies.Take(2).Select(r => r.Data!["recordEvaluations"]!).ToList();
        Assert.Equal([8, 9], sharedAnswers.Select(r => r["accepted"]!.GetValue<int>()).Order());
        Assert.Equal([0, 1], sharedAnswers.Select(r => r["duplicates"]!.GetValue<int>()).Order());
        // Both requests are answered with the one stored evaluation.
        Assert.Single(sharedAnswers.Select(r => r["evaluations"]![0]!["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(24 * 9 - 1, replies.Sum(r => r.Data!["recordEvaluations"]!["accepted"]!.GetValue<int>()));
        foreach (var (model, count) in new[] { (models[0], 24 * 3 - 1), (models[1], 24 * 3), (models[2], 24 * 3) })
        {
            var monitor = (await fixture.PostAsync(MonitorQuery, new { modelId = model, machineId = "machine-1" })).Data!["monitor"]!;
            Assert.Equal(count, monitor["evaluationCount"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_new_monitor_is_listed_under_its_health_as_soon_as_its_first_evaluation_is_acknowledged()
    {
        var machineId = "machine-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Empty((await fixture.PostAsync(RecordEvaluations, new { inputs = new[] { Evaluation(NewModelId(), 1, DateTime.UtcNow, machineId) } })).Errors);
        const string count = """
            query Count($machineId: ID!, $health: HealthStatus) { monitors(machineId: $machineId, health: $health) { totalCount } }
            """;

        var ok = await fixture.PostAsync(count, new { machineId, health = "OK" });
        var unknown = await fixture.PostAsync(count, new { machineId, health = "UNKNOWN" });

        Assert.Equal(1, ok.Data!["monitors"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(0, unknown.Data!["monitors"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Monitors_are_listed_page_by_page_with_cursors()
    {
        var machineId = "machine-" + Guid.NewGuid().ToString("N")[..8];
        var at = DateTime.UtcNow.AddMinutes(-1);
        var inputs = Enumerable.Range(0, 3).Select(i => Evaluation($"page-model-{i}", 1 + i, at, machineId)).ToArray();
        Assert.Empty((await fixture.PostAsync(RecordEvaluations, new { inputs })).Errors);
        const string page = """
            query Page($machineId: ID!, $after: String) {
              monitors(machineId: $machineId, first: 2, after: $after) {
                totalCount pageInfo { hasNextPage endCursor } edges { cursor node { modelId } }
              }
            }
            """;

        var first = (await fixture.PostAsync(page, new { machineId, after = (string?)null })).Data!["monitors"]!;
        var after = first["pageInfo"]!["endCursor"]!.GetValue<string>();
        var second = (await fixture.PostAsync(page, new { machineId, after })).Data!["monitors"]!;

        Assert.Equal(3, first["totalCount"]!.GetValue<int>());
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["page-model-0", "page-model-1"], first["edges"]!.AsArray().Select(e => e!["node"]!["modelId"]!.GetValue<string>()));
        Assert.Equal(after, first["edges"]!.AsArray()[1]!["cursor"]!.GetValue<string>());
        Assert.Equal(["page-model-2"], second["edges"]!.AsArray().Select(e => e!["node"]!["modelId"]!.GetValue<string>()));
        Assert.False(second["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }
}
