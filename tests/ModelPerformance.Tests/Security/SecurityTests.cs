using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.GraphQL.Security;
using ModelPerformance.Silo.Hosting;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Tests.Subscriptions;

namespace ModelPerformance.Tests.Security;

/// <summary>A service with a bootstrap ADMIN key: keys, roles, refusals, the audit log and WebSocket credentials, over real HTTP.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private const string Bootstrap = "bootstrap-secret-for-the-tests-0123456789";
    private RunningService service = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        service = await RunningService.StartAsync(settings: new Dictionary<string, string?> { ["Auth:BootstrapAdminKey"] = Bootstrap });
        http = new HttpClient { BaseAddress = service.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await service.DisposeAsync();
    }

    private async Task<GraphQLReply> PostAsync(string query, object? variables = null, string? key = null, bool asHeader = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GraphQLServiceFixture.GraphQLResponse));
        if (key is not null && asHeader)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        else if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await http.SendAsync(request);
        return new GraphQLReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> KeyAsync(string name, params string[] roles)
    {
        var reply = await PostAsync("mutation K($name: String!, $roles: [Role!]!) { createApiKey(name: $name, roles: $roles) { key apiKey { id name roles } } }",
            new { name, roles }, Bootstrap);
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!["createApiKey"]!["key"]!.GetValue<string>();
    }

    private const string Record = """mutation { recordEvaluation(input: { modelId: "secured", machineId: "press-1", metrics: { rmse: 1.5 } }) { id } }""";

    [Fact]
    public async Task Without_or_with_wrong_credentials_nothing_runs_and_the_answer_is_401()
    {
        var none = await PostAsync(Record);
        var wrong = await PostAsync(Record, key: "mp_not-a-key");
        var query = await PostAsync("{ monitors { totalCount } }");
        var stored = await PostAsync("""{ monitor(modelId: "secured", machineId: "press-1") { evaluationCount } }""", key: Bootstrap);

        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (none.Status, none.Code));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (wrong.Status, wrong.Code));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (query.Status, query.Code));
        Assert.Null(stored.Data!["monitor"]);
    }

    [Fact]
    public async Task The_bootstrap_key_is_an_admin_that_makes_keys_whose_roles_add_up_from_viewer_to_operator()
    {
        var me = await PostAsync("{ me { name roles authenticated } }", key: Bootstrap);
        var ingest = await KeyAsync("ingest-bot", "INGEST");
        var viewer = await KeyAsync("wall-screen", "VIEWER");
        var recorded = await PostAsync(Record, key: ingest);
        var readByIngest = await PostAsync("""{ monitor(modelId: "secured", machineId: "press-1") { evaluationCount } }""", key: ingest, asHeader: true);
        var configured = await PostAsync("""mutation { configureMonitor(modelId: "secured", machineId: "press-1", config: { minSamples: 5 }) { modelId } }""", key: ingest);
        var ingestByViewer = await PostAsync(Record, key: viewer);
        var keysByViewer = await PostAsync("{ apiKeys { name } }", key: viewer);
        var keys = await PostAsync("{ apiKeys { name roles revokedAt } }", key: Bootstrap);

        Assert.Equal("bootstrap", me.Data!["me"]!["name"]!.GetValue<string>());
        Assert.Equal(["ADMIN"], me.Data!["me"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(me.Data!["me"]!["authenticated"]!.GetValue<bool>());
        Assert.True(recorded.Errors.Count == 0, recorded.Text);
        Assert.Equal(1, readByIngest.Data!["monitor"]!["evaluationCount"]!.GetValue<int>());
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (configured.Status, configured.Code));
        Assert.Contains("ADMIN", configured.Error["message"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", ingestByViewer.Code);
        Assert.Equal("FORBIDDEN", keysByViewer.Code);
        Assert.Contains(keys.Data!["apiKeys"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "ingest-bot" && k["roles"]![0]!.GetValue<string>() == "INGEST");
        Assert.DoesNotContain(ingest, keys.Text);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var key = await KeyAsync("to-revoke", "VIEWER");
        var id = (await PostAsync("{ apiKeys { id name } }", key: Bootstrap)).Data!["apiKeys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "to-revoke")!["id"]!.GetValue<string>();
        var before = await PostAsync("{ me { name } }", key: key);

        var revoked = await PostAsync("mutation R($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", new { id }, Bootstrap);
        var after = await PostAsync("{ me { name } }", key: key);
        var unknown = await PostAsync("mutation { revokeApiKey(id: \"7d1c3c6e-0000-4000-8000-000000000000\") { revokedAt } }", key: Bootstrap);

        Assert.Equal("to-revoke", before.Data!["me"]!["name"]!.GetValue<string>());
        Assert.NotNull(revoked.Data!["revokeApiKey"]!["revokedAt"]);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal("NOT_FOUND", unknown.Code);
    }

    [Fact]
    public async Task An_alert_is_resolved_by_the_callers_name_and_every_mutation_allowed_or_refused_is_in_the_audit_log()
    {
        var operatorKey = await KeyAsync("ops-jane", "OPERATOR");
        var modelId = "audited-" + Guid.NewGuid().ToString("N")[..6];
        var configured = await PostAsync($$"""mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: { minSamples: 1 }) { modelId } }""", key: operatorKey);
        Assert.Empty((await PostAsync($$"""mutation { recordEvaluation(input: { modelId: "{{modelId}}", machineId: "press-1", sampleCount: 100, metrics: { rmse: 5 } }) { id } }""", key: operatorKey)).Errors);
        Assert.Empty((await PostAsync($$"""mutation { setBaseline(modelId: "{{modelId}}", machineId: "press-1", metrics: { rmse: 0.01 }) { modelId } }""", key: Bootstrap)).Errors);
        var alert = (await PostAsync($$"""{ alerts(modelId: "{{modelId}}") { id } }""", key: operatorKey)).Data!["alerts"]![0]!["id"]!.GetValue<string>();

        var resolved = await PostAsync("mutation R($id: ID!) { resolveAlert(id: $id, note: \"checked\") { resolvedBy } }", new { id = alert }, operatorKey);
        var log = await Eventually.MatchAsync(
            async () => (await PostAsync("{ auditLog(actor: \"ops-jane\") { actor operation target succeeded code } }", key: Bootstrap)).Data!["auditLog"]!.AsArray(),
            entries => entries.Count >= 3, TimeSpan.FromSeconds(10), "the audit entries written");
        var viewerReads = await PostAsync("{ auditLog { actor } }", key: await KeyAsync("auditor", "VIEWER"));

        Assert.Equal("FORBIDDEN", configured.Code);
        Assert.Equal("ops-jane", resolved.Data!["resolveAlert"]!["resolvedBy"]!.GetValue<string>());
        var operations = log.Select(e => (e!["operation"]!.GetValue<string>(), e["succeeded"]!.GetValue<bool>(), e["code"]?.GetValue<string>(), e["target"]?.GetValue<string>())).ToList();
        Assert.Contains(("configureMonitor", false, "FORBIDDEN", $"{modelId}/press-1"), operations);
        Assert.Contains(("recordEvaluation", true, null, $"{modelId}/press-1"), operations);
        Assert.Contains(("resolveAlert", true, null, alert), operations);
        Assert.Equal("FORBIDDEN", viewerReads.Code);
    }

    [Fact]
    public async Task Completing_a_training_job_needs_its_token_not_a_key()
    {
        var reply = await PostAsync("""mutation { completeTraining(input: { id: "7d1c3c6e-0000-4000-8000-000000000000", token: "x", succeeded: false }) { status } }""");

        Assert.NotEqual(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("NOT_FOUND", reply.Code);
    }

    [Fact]
    public async Task A_websocket_needs_credentials_on_the_upgrade_or_in_connection_init_and_refused_ones_close_it_with_4403()
    {
        var viewer = await KeyAsync("ws-viewer", "VIEWER");

        await using var none = await WebSocketClient.ConnectAsync(service.BaseAddress);
        await none.SendAsync(new { type = "connection_init" });
        var noneClosed = await none.ReceiveCloseAsync();
        await using var wrong = await WebSocketClient.ConnectAsync(service.BaseAddress);
        await wrong.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer mp_wrong" } });
        var wrongClosed = await wrong.ReceiveCloseAsync();
        await using var inInit = await WebSocketClient.ConnectAsync(service.BaseAddress);
        await inInit.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {viewer}" } });
        var initAck = await inInit.ReceiveAsync();
        await using var onUpgrade = await WebSocketClient.ConnectAsync(service.BaseAddress, headers: new Dictionary<string, string> { ["X-Api-Key"] = viewer });
        await onUpgrade.SendAsync(new { type = "connection_init" });
        var upgradeAck = await onUpgrade.ReceiveAsync();
        await onUpgrade.SubscribeAsync("m", Record);
        var refusedMutation = await onUpgrade.ReceiveAsync();

        Assert.Equal(4403, noneClosed);
        Assert.Equal(4403, wrongClosed);
        Assert.Equal("connection_ack", initAck!["type"]!.GetValue<string>());
        Assert.Equal("connection_ack", upgradeAck!["type"]!.GetValue<string>());
        Assert.True(refusedMutation!["type"]!.GetValue<string>() == "error", refusedMutation.ToJsonString());
        Assert.Equal("FORBIDDEN", refusedMutation["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var audited = await Eventually.MatchAsync(
            async () => (await PostAsync("{ auditLog(actor: \"ws-viewer\") { operation succeeded code } }", key: Bootstrap)).Data!["auditLog"]!.AsArray(),
            entries => entries.Count > 0, TimeSpan.FromSeconds(10), "the refused WebSocket mutation in the audit log");
        Assert.Equal(("recordEvaluation", false, "FORBIDDEN"),
            (audited[0]!["operation"]!.GetValue<string>(), audited[0]!["succeeded"]!.GetValue<bool>(), audited[0]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ADMIN_manages_notification_channels_OPERATOR_silences_and_tests_them_and_others_see_a_channels_address_without_its_path()
    {
        var viewer = await KeyAsync("notify-viewer", "VIEWER");
        var operatorKey = await KeyAsync("notify-operator", "OPERATOR");
        const string Create = """mutation { createNotificationChannel(input: { name: "slack", kind: SLACK, url: "http://127.0.0.1:9/services/T0/B0/secret-token" }) { id url } }""";

        var byOperator = await PostAsync(Create, key: operatorKey);
        var byAdmin = await PostAsync(Create, key: Bootstrap);
        var id = byAdmin.Data!["createNotificationChannel"]!["id"]!.GetValue<string>();
        var asViewer = await PostAsync("{ notificationChannels { id url } }", key: viewer);
        var asAdmin = await PostAsync("{ notificationChannels { id url } }", key: Bootstrap);
        var silenceByViewer = await PostAsync("""mutation { createSilence(input: { machineId: "press-1", durationMinutes: 5 }) { id } }""", key: viewer);
        var silenceByOperator = await PostAsync("""mutation { createSilence(input: { machineId: "press-1", durationMinutes: 5 }) { createdBy } }""", key: operatorKey);
        var test = await PostAsync("mutation($id: ID!) { testNotificationChannel(id: $id) { event } }", new { id }, operatorKey);
        var deleteByOperator = await PostAsync("mutation($id: ID!) { deleteNotificationChannel(id: $id) }", new { id }, operatorKey);

        Assert.Equal("FORBIDDEN", byOperator.Code);
        Assert.Equal("http://127.0.0.1:9/services/T0/B0/secret-token", byAdmin.Data!["createNotificationChannel"]!["url"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9/…", Assert.Single(asViewer.Data!["notificationChannels"]!.AsArray())!["url"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9/services/T0/B0/secret-token", Assert.Single(asAdmin.Data!["notificationChannels"]!.AsArray())!["url"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", silenceByViewer.Code);
        Assert.Equal("notify-operator", silenceByOperator.Data!["createSilence"]!["createdBy"]!.GetValue<string>());
        Assert.Equal("TEST", test.Data!["testNotificationChannel"]!["event"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", deleteByOperator.Code);
    }

    [Fact]
    public async Task The_REST_routes_need_the_roles_of_their_graphql_fields_and_are_audited()
    {
        var viewer = await KeyAsync("rest-viewer", "VIEWER");
        var ingest = await KeyAsync("rest-ingest", "INGEST");
        async Task<(HttpStatusCode Status, JsonNode? Body)> RecordAsync(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/model-performance/metrics/record")
            {
                Content = JsonContent.Create(new { model_id = "rest-secured", machine_id = "press-1", metrics = new { rmse = 1.5 } }),
            };
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }
            using var response = await http.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        var none = await RecordAsync(null);
        var asViewer = await RecordAsync(viewer);
        var asIngest = await RecordAsync(ingest);
        using var alertsRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/model-performance/alerts/active");
        alertsRequest.Headers.Add("X-Api-Key", viewer);
        using var alerts = await http.SendAsync(alertsRequest);

        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (none.Status, none.Body!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (asViewer.Status, asViewer.Body!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, asIngest.Status);
        Assert.Equal(HttpStatusCode.OK, alerts.StatusCode);
        var audited = await Eventually.MatchAsync(
            async () => (await PostAsync("{ auditLog(operation: \"recordEvaluation\") { actor succeeded code target } }", key: Bootstrap)).Data!["auditLog"]!.AsArray(),
            entries => entries.Count(e => e!["target"]?.GetValue<string>() == "rest-secured/press-1") >= 2, TimeSpan.FromSeconds(10), "both REST calls audited");
        var mine = audited.Where(e => e!["target"]?.GetValue<string>() == "rest-secured/press-1").ToList();
        Assert.Contains(mine, e => e!["actor"]!.GetValue<string>() == "rest-viewer" && !e["succeeded"]!.GetValue<bool>() && e["code"]!.GetValue<string>() == "FORBIDDEN");
        Assert.Contains(mine, e => e!["actor"]!.GetValue<string>() == "rest-ingest" && e["succeeded"]!.GetValue<bool>());
    }

    [Fact]
    public void Every_mutation_of_the_schema_has_a_role_in_the_table()
    {
        var schema = service.Services.GetRequiredService<ISchema>();
        schema.Initialize();

        var missing = schema.Mutation!.Fields.Select(f => f.Name)
            .Where(name => !FieldRoles.Mutations.ContainsKey(name) && !FieldRoles.TokenAuthorized.Contains(name)).ToList();

        Assert.True(missing.Count == 0, "mutations without a role in FieldRoles: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_cluster_member_without_authentication_refuses_to_start_unless_told_to_run_open()
    {
        var postgres = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=none" };

        var refused = Assert.Throws<InvalidOperationException>(() => ServiceHost.Build([], postgres));
        var open = ServiceHost.Build([], new Dictionary<string, string?>(postgres) { ["Auth:AllowAnonymous"] = "true" });

        Assert.Contains("Auth:BootstrapAdminKey", refused.Message);
        Assert.NotNull(open);
    }

    [Fact]
    public async Task Over_its_rate_a_caller_gets_429_and_RATE_LIMITED()
    {
        await using var limited = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:BootstrapAdminKey"] = Bootstrap,
            ["Auth:RateLimit:PermitsPerSecond"] = "5",
        });
        using var client = new HttpClient { BaseAddress = limited.BaseAddress };
        var statuses = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 15; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ me { name } }"}""", Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", Bootstrap);
            using var response = await client.SendAsync(request);
            statuses.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        var rejected = statuses.Where(s => s.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(rejected.Count, 1, 10);
        Assert.Equal("RATE_LIMITED", JsonNode.Parse(rejected[0].Body)!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains(statuses, s => s.Status == HttpStatusCode.OK);
    }
}

/// <summary>The pages behind the sign-in page while authentication is on; the probes and the pages' assets stay open.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Bootstrap = "bootstrap-secret-for-the-sign-in-tests-01234";
    private RunningService service = null!;

    public async Task InitializeAsync() =>
        service = await RunningService.StartAsync(settings: new Dictionary<string, string?> { ["Auth:BootstrapAdminKey"] = Bootstrap });

    public async Task DisposeAsync() => await service.DisposeAsync();

    [Fact]
    public async Task A_browser_without_a_key_is_sent_to_sign_in_and_with_the_cookie_it_sets_sees_the_pages()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = service.BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var page = await browser.GetAsync("/");
        var orleans = await browser.GetAsync("/dashboard");
        var ide = await browser.GetAsync("/graphql");
        var health = await browser.GetAsync("/health/live");
        var asset = await browser.GetAsync("/ui/app.js");
        var form = await browser.GetStringAsync("/signin?returnUrl=%2F%23%2Falerts");
        var wrong = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "mp_wrong", ["returnUrl"] = "/" }));
        var offsite = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Bootstrap, ["returnUrl"] = "//evil.example/" }));
        var signedIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Bootstrap, ["returnUrl"] = "/ui/model-performance" }));
        var after = await browser.GetAsync("/");
        using var apiRequest = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ me { name } }"}""", Encoding.UTF8, "application/json") };
        apiRequest.Headers.Accept.Clear();
        apiRequest.Headers.Accept.ParseAdd("application/json");
        var api = await browser.SendAsync(apiRequest);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?returnUrl=%2F", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, orleans.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ide.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("name=\"key\"", form);
        Assert.Contains("value=\"/#/alerts\"", form);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/ui/model-performance", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("modelperf_key=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("bootstrap", JsonNode.Parse(await api.Content.ReadAsStringAsync())!["data"]!["me"]!["name"]!.GetValue<string>());
    }
}

/// <summary>CORS: off unless origins are configured, and then only for them.</summary>
public sealed class CorsTests
{
    private static async Task<HttpResponseMessage> PreflightAsync(RunningService service, string origin)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_browser_page_of_another_origin_may_call_the_api_only_when_that_origin_is_configured()
    {
        await using var closed = await RunningService.StartAsync();
        await using var open = await RunningService.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://ems.example" });

        var byDefault = await PreflightAsync(closed, "https://ems.example");
        var allowed = await PreflightAsync(open, "https://ems.example");
        var other = await PreflightAsync(open, "https://evil.example");

        Assert.False(byDefault.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("https://ems.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-api-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
