using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>
/// The seven REST routes of the service this one replaces, over real HTTP: snake_case names, lower-case enums, the status of each error
/// code with <c>{"error": {"code", "message", "field"}}</c>, and the same answers as the GraphQL fields they stand for.
/// </summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class RestApiTests(GraphQLServiceFixture fixture)
{
    private const string Prefix = "/api/v1/model-performance/";

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string route, object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync(Prefix + route, body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string route)
    {
        using var response = await fixture.Http.GetAsync(Prefix + route);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Metrics_are_recorded_with_201_and_read_back_as_a_trend_in_snake_case()
    {
        var model = NewId("rest");
        var at = DateTime.UtcNow.AddHours(-1);
        var (status, evaluation) = await PostAsync("metrics/record", new
        {
            model_id = model, machine_id = "press-1", model_type = "energy", evaluated_at = at, sample_count = 10,
            metrics = new { r_squared = 0.9, rmse = 1.5, mae = 1.0 },
        });
        var (trendStatus, trend) = await GetAsync($"metrics/trend?model_id={model}&machine_id=press-1&metric=rmse&bucket=day");
        var graphql = await fixture.PostAsync("query($m: ID!) { monitor(modelId: $m, machineId: \"press-1\") { trend(metric: RMSE, bucket: DAY) { bucketStart mean count } } }", new { m = model });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal((model, "press-1", 10), (evaluation!["model_id"]!.GetValue<string>(), evaluation["machine_id"]!.GetValue<string>(), evaluation["sample_count"]!.GetValue<int>()));
        Assert.Equal((0.9, 1.5), (evaluation["metrics"]!["r_squared"]!.GetValue<double>(), evaluation["metrics"]!["rmse"]!.GetValue<double>()));
        Assert.Null(evaluation["modelId"]);
        Assert.Equal(HttpStatusCode.OK, trendStatus);
        var point = Assert.Single(trend!.AsArray())!;
        var expected = graphql.Data!["monitor"]!["trend"]![0]!;
        Assert.Equal((expected["bucketStart"]!.GetValue<string>(), expected["mean"]!.GetValue<double>(), expected["count"]!.GetValue<int>()),
            (point["bucket_start"]!.GetValue<string>(), point["mean"]!.GetValue<double>(), point["count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_the_field_in_snake_case_and_stores_nothing()
    {
        var model = NewId("rest-bad");
        var (status, body) = await PostAsync("metrics/record", new { model_id = model, machine_id = "press-1", metrics = new { r_squared = 2.5 } });
        var (notJson, _) = await SendRawAsync("metrics/record", "[1, 2");
        var (unknownMetric, unknownBody) = await GetAsync($"metrics/trend?model_id={model}&machine_id=press-1&metric=loudness");
        var stored = await fixture.PostAsync("query($m: ID!) { monitor(modelId: $m, machineId: \"press-1\") { evaluationCount } }", new { m = model });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("BAD_USER_INPUT", "metrics.r_squared"), (body!["error"]!["code"]!.GetValue<string>(), body["error"]!["field"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
        Assert.Equal((HttpStatusCode.BadRequest, "BAD_USER_INPUT"), (unknownMetric, unknownBody!["error"]!["code"]!.GetValue<string>()));
        Assert.Null(stored.Data!["monitor"]);
    }

    private async Task<(HttpStatusCode, string)> SendRawAsync(string route, string json)
    {
        using var response = await fixture.Http.PostAsync(Prefix + route, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Drift_checks_retraining_and_unknown_monitors_answer_as_their_graphql_fields_do()
    {
        var model = NewId("rest-drift");
        var samples = Enumerable.Range(0, 40).Select(i => new { predicted = (double)i, actual = i + 0.5, features = new { load = (double)(i % 7) } }).ToArray();
        Assert.Empty((await fixture.PostAsync("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId = model, machineId = "press-1", samples } })).Errors);

        var (driftStatus, drift) = await PostAsync("drift/check", new { model_id = model, machine_id = "press-1" });
        var (retrainStatus, job) = await PostAsync("retrain/trigger", new { model_id = model, machine_id = "press-1", reason = "from REST" });
        var (unknownStatus, unknown) = await PostAsync("drift/check", new { model_id = NewId("nobody"), machine_id = "press-1" });
        var (missingStatus, missing) = await PostAsync("retrain/trigger", new { model_id = model });

        Assert.Equal(HttpStatusCode.OK, driftStatus);
        Assert.NotNull(drift!["checked_at"]);
        Assert.Equal(HttpStatusCode.Accepted, retrainStatus);
        Assert.Equal(("manual", "from REST"), (job!["trigger"]!.GetValue<string>(), job["reason"]!.GetValue<string>()));
        Assert.Contains(job["status"]!.GetValue<string>(), new[] { "pending", "running", "succeeded", "failed" });
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknownStatus, unknown!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "BAD_USER_INPUT"), (missingStatus, missing!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_ab_test_starts_with_201_its_results_read_back_and_an_unknown_one_is_404()
    {
        var model = NewId("rest-ab");
        var samples = Enumerable.Range(0, 5).Select(i => new { predicted = 10.5, actual = 10.0 }).ToArray();
        Assert.Empty((await fixture.PostAsync("mutation($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId = model, machineId = "press-1", modelVersion = "v1", samples } })).Errors);
        Assert.Empty((await fixture.PostAsync("mutation($m: ID!) { registerVersion(input: { modelId: $m, machineId: \"press-1\", version: \"v2\" }) { version } }", new { m = model })).Errors);

        var (status, test) = await PostAsync("ab-test/start", new { model_id = model, machine_id = "press-1", version_a = "v1", version_b = "v2", primary_metric = "mae", traffic_split = 0.3 });
        var id = test!["id"]!.GetValue<string>();
        var (resultsStatus, results) = await GetAsync($"ab-test/{id}/results");
        var (unknownStatus, unknown) = await GetAsync($"ab-test/{Guid.NewGuid()}/results");
        var (conflictStatus, conflict) = await PostAsync("ab-test/start", new { model_id = model, machine_id = "press-1", version_a = "v1", version_b = "v2" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("running", "mae", 0.3), (test["status"]!.GetValue<string>(), test["primary_metric"]!.GetValue<string>(), test["traffic_split"]!.GetValue<double>()));
        Assert.Equal(HttpStatusCode.OK, resultsStatus);
        Assert.Equal(0, results!["a"]!["samples"]!.GetValue<int>());
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknownStatus, unknown!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Conflict, "CONFLICT"), (conflictStatus, conflict!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Active_alerts_are_the_unresolved_ones_critical_first_then_newest_with_lower_case_enums()
    {
        var machine = NewId("rest-press");
        var store = (Grains.Alerts.IAlertStore)fixture.Service.Services.GetService(typeof(Grains.Alerts.IAlertStore))!;
        var warning = Alerts.AlertStoreContract.NewAlert(NewId("rest-a"), machine, Grains.Interfaces.AlertType.DataDrift, Grains.Interfaces.Severity.Warning, minutes: 5);
        var critical = Alerts.AlertStoreContract.NewAlert(NewId("rest-b"), machine, Grains.Interfaces.AlertType.Degradation, Grains.Interfaces.Severity.Critical, Grains.Interfaces.AlertStatus.Acknowledged, minutes: 1);
        var newerWarning = Alerts.AlertStoreContract.NewAlert(NewId("rest-c"), machine, Grains.Interfaces.AlertType.NoData, Grains.Interfaces.Severity.Warning, minutes: 9);
        var resolved = Alerts.AlertStoreContract.NewAlert(NewId("rest-d"), machine, Grains.Interfaces.AlertType.Degradation, Grains.Interfaces.Severity.Critical, Grains.Interfaces.AlertStatus.Resolved, minutes: 12);
        foreach (var alert in new[] { warning, critical, newerWarning, resolved })
        {
            await store.SaveAsync(alert);
        }

        var (status, active) = await GetAsync($"alerts/active?machine_id={machine}");
        var (_, onlyCritical) = await GetAsync($"alerts/active?machine_id={machine}&severity=critical");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([critical.Id.ToString(), newerWarning.Id.ToString(), warning.Id.ToString()], active!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(("critical", "acknowledged", "degradation"), (active[0]!["severity"]!.GetValue<string>(), active[0]!["status"]!.GetValue<string>(), active[0]!["type"]!.GetValue<string>()));
        Assert.Equal("MAE", active[0]!["details"]!["metric"]!.GetValue<string>());
        Assert.NotNull(active[0]!["created_at"]);
        Assert.Equal([critical.Id.ToString()], onlyCritical!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_openapi_document_lists_the_seven_routes_and_the_explorer_page_is_served()
    {
        using var document = await fixture.Http.GetAsync("/api/v1/openapi.json");
        var openApi = JsonNode.Parse(await document.Content.ReadAsStringAsync())!;
        using var explorer = await fixture.Http.GetAsync("/api/docs/");
        var page = await explorer.Content.ReadAsStringAsync();
        // The explorer's script is served by the service itself, so the page works without the internet.
        using var script = await fixture.Http.GetAsync("/api/docs/scalar.js");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).Order().ToList();
        Assert.Equal(new[] { "metrics/record", "metrics/trend", "drift/check", "retrain/trigger", "ab-test/start", "ab-test/{id}/results", "alerts/active" }
            .Select(p => Prefix + p).Order(), paths);
        Assert.NotNull(openApi["paths"]![Prefix + "metrics/record"]!["post"]);
        Assert.NotNull(openApi["paths"]![Prefix + "alerts/active"]!["get"]);
        Assert.Equal(HttpStatusCode.OK, explorer.StatusCode);
        // Scalar resolves the document's address against the application's base path.
        Assert.Contains("\"url\":\"api/v1/openapi.json\"", page);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }
}
