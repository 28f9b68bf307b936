using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>Retraining with the built-in trainer over HTTP: a degraded model, a job, a candidate, its promotion and the alert it clears.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class RetrainingApiTests(GraphQLServiceFixture fixture)
{
    private const string Job = """
        query J($id: ID!) {
          trainingJob(id: $id) {
            id modelId machineId trigger status reason createdAt startedAt completedAt previousVersion newVersion
            hyperparameters metricsBefore { rmse } metricsAfter { rmse } improvement error
          }
        }
        """;

    private const string Trigger = """
        mutation T($modelId: ID!) { triggerRetrain(modelId: $modelId, machineId: "press-1", reason: "drifted in November") { id status trigger } }
        """;

    /// <summary>Actual load is 2 + 3 x; the recorded model predicts it <paramref name="offset"/> too high.</summary>
    private async Task RecordAsync(string modelId, string version, double offset, int count, bool withFeature = true)
    {
        var random = new Random(count);
        var samples = Enumerable.Range(0, count).Select(i =>
        {
            var x = random.NextDouble() * 10;
            var actual = 2 + 3 * x + (random.NextDouble() - 0.5) * 0.1;
            return new { predicted = actual + offset, actual, features = withFeature ? new JsonObject { ["x"] = x } : new JsonObject { ["shift"] = "night" } };
        }).ToList();
        var reply = await fixture.PostAsync("mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-1", modelVersion = version, samples } });
        Assert.True(reply.Errors.Count == 0, reply.Text);
    }

    private async Task<JsonNode> EndedJobAsync(string id) =>
        await Eventually.MatchAsync(async () => (await fixture.PostAsync(Job, new { id })).Data!["trainingJob"]!,
            job => job["status"]!.GetValue<string>() is "SUCCEEDED" or "FAILED", TimeSpan.FromSeconds(20), $"training job {id} ends");

    private async Task ConfigureAsync(string modelId, string config)
    {
        var reply = await fixture.PostAsync($$"""mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: {{config}}) { modelId } }""");
        Assert.True(reply.Errors.Count == 0, reply.Text);
    }

    [Fact]
    public async Task A_degraded_model_is_retrained_promoted_when_better_and_its_alert_clears_as_the_new_champions_errors_arrive()
    {
        var modelId = "retrain-" + Guid.NewGuid().ToString("N")[..8];
        await ConfigureAsync(modelId, "{ minSamples: 20, windowSize: 200, promotionPolicy: AUTO_IF_BETTER }");
        await fixture.PostAsync($$"""mutation { setBaseline(modelId: "{{modelId}}", machineId: "press-1", metrics: { rmse: 0.5 }) { modelId } }""");
        await RecordAsync(modelId, "v1", offset: 5, count: 100);
        var alert = (await fixture.PostAsync($$"""{ alerts(modelId: "{{modelId}}", type: DEGRADATION) { id severity status } }""")).Data!["alerts"]![0]!;

        var started = await fixture.PostAsync(Trigger, new { modelId });
        var id = started.Data!["triggerRetrain"]!["id"]!.GetValue<string>();
        var job = await EndedJobAsync(id);

        Assert.Equal("CRITICAL", alert["severity"]!.GetValue<string>());
        Assert.True(started.Errors.Count == 0, started.Text);
        Assert.Equal("MANUAL", started.Data!["triggerRetrain"]!["trigger"]!.GetValue<string>());
        Assert.True(job["status"]!.GetValue<string>() == "SUCCEEDED", job.ToJsonString());
        Assert.Equal("v1", job["previousVersion"]!.GetValue<string>());
        Assert.Equal("v1.r1", job["newVersion"]!.GetValue<string>());
        Assert.Equal("drifted in November", job["reason"]!.GetValue<string>());
        Assert.Equal(5.0, job["metricsBefore"]!["rmse"]!.GetValue<double>(), 1);
        Assert.True(job["metricsAfter"]!["rmse"]!.GetValue<double>() < 0.1, job.ToJsonString());
        Assert.True(job["improvement"]!.GetValue<double>() > 0.9, job.ToJsonString());
        Assert.Equal("least-squares", job["hyperparameters"]!["trainer"]!.GetValue<string>());
        Assert.NotNull(job["startedAt"]);
        Assert.NotNull(job["completedAt"]);

        var monitor = (await fixture.PostAsync($$"""
            { monitor(modelId: "{{modelId}}", machineId: "press-1") {
                activeVersion trainingJobs { id status }
                versions { version isChampion trainingJobId artifact } } }
            """)).Data!["monitor"]!;
        var candidate = monitor["versions"]!.AsArray().Single(v => v!["version"]!.GetValue<string>() == "v1.r1")!;
        Assert.Equal("v1.r1", monitor["activeVersion"]!.GetValue<string>());
        Assert.True(candidate["isChampion"]!.GetValue<bool>());
        Assert.Equal(id, candidate["trainingJobId"]!.GetValue<string>());
        Assert.Equal("linear", candidate["artifact"]!["kind"]!.GetValue<string>());
        Assert.Equal(3.0, candidate["artifact"]!["coefficients"]!["x"]!.GetValue<double>(), 1);
        Assert.Equal(2.0, candidate["artifact"]!["intercept"]!.GetValue<double>(), 1);
        Assert.Equal(id, monitor["trainingJobs"]![0]!["id"]!.GetValue<string>());

        // The new champion's predictions are good: the degradation alert is resolved by the system.
        await RecordAsync(modelId, "v1.r1", offset: 0.05, count: 30);
        var resolved = (await fixture.PostAsync("query A($id: ID!) { alert(id: $id) { status resolvedBy } }", new { id = alert["id"]!.GetValue<string>() })).Data!["alert"]!;
        Assert.Equal("RESOLVED", resolved["status"]!.GetValue<string>());
        Assert.Equal("system", resolved["resolvedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_auto_retrain_a_critical_degradation_starts_a_job_and_within_the_cooldown_another_does_not()
    {
        var modelId = "retrain-" + Guid.NewGuid().ToString("N")[..8];
        await ConfigureAsync(modelId, "{ minSamples: 20, windowSize: 200, autoRetrain: true, retrainCooldownMinutes: 60, promotionPolicy: AUTO_IF_BETTER }");
        await fixture.PostAsync($$"""mutation { setBaseline(modelId: "{{modelId}}", machineId: "press-1", metrics: { rmse: 0.5 }) { modelId } }""");
        await RecordAsync(modelId, "v1", offset: 5, count: 100);
        var alert = (await fixture.PostAsync($$"""{ alerts(modelId: "{{modelId}}", type: DEGRADATION) { id severity autoAction } }""")).Data!["alerts"]![0]!;
        var action = alert["autoAction"]?.GetValue<string>();

        Assert.Equal("CRITICAL", alert["severity"]!.GetValue<string>());
        Assert.NotNull(action);
        Assert.StartsWith("retrain:", action);
        var job = await EndedJobAsync(action!["retrain:".Length..]);
        Assert.Equal("DEGRADATION", (await fixture.PostAsync("query J($id: ID!) { trainingJob(id: $id) { trigger } }", new { id = job["id"]!.GetValue<string>() })).Data!["trainingJob"]!["trigger"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", job["status"]!.GetValue<string>());
        Assert.Equal("v1.r1", job["newVersion"]!.GetValue<string>());

        // The new champion degrades too, within the cooldown: the alert opens again, and no job starts.
        await fixture.PostAsync("mutation R($id: ID!) { resolveAlert(id: $id, note: \"retrained\") { status } }", new { id = alert["id"]!.GetValue<string>() });
        await RecordAsync(modelId, "v1.r1", offset: 5, count: 40);
        var again = (await fixture.PostAsync($$"""{ alerts(modelId: "{{modelId}}", type: DEGRADATION, status: OPEN) { id autoAction } }""")).Data!["alerts"]!.AsArray();
        var jobs = (await fixture.PostAsync($$"""{ trainingJobs(modelId: "{{modelId}}") { id } }""")).Data!["trainingJobs"]!.AsArray();

        Assert.Null(Assert.Single(again)!["autoAction"]);
        Assert.Single(jobs);
    }

    [Fact]
    public async Task Under_the_manual_policy_the_candidate_is_registered_but_not_promoted()
    {
        var modelId = "retrain-" + Guid.NewGuid().ToString("N")[..8];
        await RecordAsync(modelId, "v1", offset: 5, count: 50);

        var id = (await fixture.PostAsync(Trigger, new { modelId })).Data!["triggerRetrain"]!["id"]!.GetValue<string>();
        var job = await EndedJobAsync(id);
        var monitor = (await fixture.PostAsync($$"""{ monitor(modelId: "{{modelId}}", machineId: "press-1") { activeVersion versions { version isChampion } } }""")).Data!["monitor"]!;
        var listed = (await fixture.PostAsync($$"""{ trainingJobs(modelId: "{{modelId}}", status: SUCCEEDED) { id } }""")).Data!["trainingJobs"]!.AsArray();

        Assert.Equal("SUCCEEDED", job["status"]!.GetValue<string>());
        Assert.Equal("v1", monitor["activeVersion"]!.GetValue<string>());
        Assert.Equal([("v1", true), ("v1.r1", false)], monitor["versions"]!.AsArray().Select(v => (v!["version"]!.GetValue<string>(), v["isChampion"]!.GetValue<bool>())));
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_the_trainer_cannot_do_fails_with_its_reason_and_a_training_failed_alert()
    {
        var modelId = "retrain-" + Guid.NewGuid().ToString("N")[..8];
        await RecordAsync(modelId, "v1", offset: 1, count: 50, withFeature: false);

        var id = (await fixture.PostAsync(Trigger, new { modelId })).Data!["triggerRetrain"]!["id"]!.GetValue<string>();
        var job = await EndedJobAsync(id);
        var alerts = (await fixture.PostAsync($$"""{ alerts(modelId: "{{modelId}}", type: TRAINING_FAILED) { severity status message } }""")).Data!["alerts"]!.AsArray();
        var cancel = await fixture.PostAsync("mutation C($id: ID!) { cancelTraining(id: $id) { status } }", new { id });

        Assert.Equal("FAILED", job["status"]!.GetValue<string>());
        Assert.Contains("no numeric feature", job["error"]!.GetValue<string>());
        var alert = Assert.Single(alerts)!;
        Assert.Equal("WARNING", alert["severity"]!.GetValue<string>());
        Assert.Contains("no numeric feature", alert["message"]!.GetValue<string>());
        Assert.Equal("CONFLICT", cancel.Code);
    }

    [Fact]
    public async Task Retraining_an_unknown_monitor_or_cancelling_an_unknown_job_is_not_found()
    {
        var trigger = await fixture.PostAsync(Trigger, new { modelId = "retrain-nobody" });
        var cancel = await fixture.PostAsync("mutation C($id: ID!) { cancelTraining(id: $id) { status } }", new { id = Guid.NewGuid() });
        var unknown = await fixture.PostAsync(Job, new { id = Guid.NewGuid() });

        Assert.Equal("NOT_FOUND", trigger.Code);
        Assert.Equal("NOT_FOUND", cancel.Code);
        Assert.Null(unknown.Data!["trainingJob"]);
    }
}
