using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>
/// External trainers against a real HTTP listener: the job's POST, the callback with its token, retries of a
/// trainer that answers 503, a refusal, and a trainer that never calls back (a 3 s timeout here).
/// </summary>
public sealed class ExternalTrainerTests : IAsyncLifetime
{
    private RunningService service = null!;
    private HttpClient http = null!;
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Path, JsonNode Body)> received = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private int port;

    public async Task InitializeAsync()
    {
        service = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Training:TimeoutMinutes"] = "0.05",
            ["Training:FirstBackoff"] = "00:00:00.100",
        });
        http = new HttpClient { BaseAddress = service.BaseAddress };
        port = RunningService.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public async Task DisposeAsync()
    {
        listener.Close();
        http.Dispose();
        await service.DisposeAsync();
    }

    /// <summary>/ok and /silent accept; /flaky answers 503 twice per job, then accepts; /refuse answers 400.</summary>
    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            var body = JsonNode.Parse(await new StreamReader(context.Request.InputStream).ReadToEndAsync())!;
            var path = context.Request.Url!.AbsolutePath.Trim('/');
            received.Enqueue((path, body));
            var count = attempts.AddOrUpdate(body["jobId"]!.GetValue<string>(), 1, (_, n) => n + 1);
            context.Response.StatusCode = path switch
            {
                "refuse" => 400,
                "flaky" when count <= 2 => 503,
                _ => 202,
            };
            context.Response.Close();
        }
    }

    private async Task<JsonNode> PostAsync(string query, object? variables = null)
    {
        var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<string> StartAsync(string modelId, string trainer)
    {
        var random = new Random(3);
        var samples = Enumerable.Range(0, 50).Select(_ =>
        {
            var x = random.NextDouble() * 10;
            return new { predicted = 3 * x + 6, actual = 3 * x + 1, features = new { x } };
        }).ToList();
        await PostAsync("mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-1", modelVersion = "v1", samples } });
        var configured = await PostAsync($$"""
            mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: { trainerUrl: "http://127.0.0.1:{{port}}/{{trainer}}", promotionPolicy: AUTO_IF_BETTER }) { modelId } }
            """);
        Assert.Null(configured["errors"]);
        var started = await PostAsync($$"""mutation { triggerRetrain(modelId: "{{modelId}}", machineId: "press-1") { id } }""");
        return started["data"]!["triggerRetrain"]!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> JobAsync(string id) =>
        PostAsync("query J($id: ID!) { trainingJob(id: $id) { status newVersion error improvement metricsBefore { rmse } metricsAfter { rmse } } }", new { id })
            .ContinueWith(t => t.Result["data"]!["trainingJob"]!);

    private const string Complete = """
        mutation C($input: CompleteTrainingInput!) { completeTraining(input: $input) { status newVersion improvement } }
        """;

    [Fact]
    public async Task The_trainer_receives_the_job_and_its_callback_with_the_token_completes_it_once()
    {
        var id = await StartAsync("external-ok", "ok");
        var running = await Eventually.MatchAsync(() => JobAsync(id), job => job["status"]!.GetValue<string>() == "RUNNING", TimeSpan.FromSeconds(10), "the accepted job RUNNING");
        var sent = received.Single(r => r.Body["jobId"]!.GetValue<string>() == id).Body;
        var token = sent["callbackToken"]!.GetValue<string>();

        var forbidden = await PostAsync(Complete, new { input = new { id, succeeded = true, token = "not-the-token" } });
        var completed = await PostAsync(Complete, new { input = new { id, succeeded = true, token, newVersion = "v2-ext", metricsAfter = new { rmse = 0.1 }, artifact = new { uri = "s3://m/v2" } } });
        var repeated = await PostAsync(Complete, new { input = new { id, succeeded = true, token, newVersion = "v2-ext" } });
        var conflicting = await PostAsync(Complete, new { input = new { id, succeeded = false, token, error = "changed my mind" } });
        var monitor = await PostAsync("""{ monitor(modelId: "external-ok", machineId: "press-1") { activeVersion } }""");

        Assert.Equal("external-ok", sent["modelId"]!.GetValue<string>());
        Assert.Equal("MANUAL", sent["trigger"]!.GetValue<string>());
        Assert.Equal("v1", sent["previousVersion"]!.GetValue<string>());
        Assert.Equal(50, sent["samples"]!.AsArray().Count);
        Assert.NotNull(sent["samples"]![0]!["features"]!["x"]);
        Assert.Equal("FORBIDDEN", forbidden["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(completed["errors"]);
        Assert.Equal("SUCCEEDED", completed["data"]!["completeTraining"]!["status"]!.GetValue<string>());
        Assert.Equal("v2-ext", completed["data"]!["completeTraining"]!["newVersion"]!.GetValue<string>());
        Assert.True(completed["data"]!["completeTraining"]!["improvement"]!.GetValue<double>() > 0.9);
        Assert.Equal("SUCCEEDED", repeated["data"]!["completeTraining"]!["status"]!.GetValue<string>());
        Assert.Equal("CONFLICT", conflicting["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("v2-ext", monitor["data"]!["monitor"]!["activeVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_trainer_that_answers_503_twice_gets_the_same_job_three_times_and_the_job_runs()
    {
        var id = await StartAsync("external-flaky", "flaky");

        await Eventually.MatchAsync(() => JobAsync(id), job => job["status"]!.GetValue<string>() == "RUNNING", TimeSpan.FromSeconds(10), "the job RUNNING after retries");

        var posts = received.Where(r => r.Body["jobId"]!.GetValue<string>() == id).ToList();
        Assert.Equal(3, posts.Count);
        Assert.Single(posts.Select(p => p.Body["callbackToken"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task A_refusing_trainer_fails_the_job_at_once_and_a_silent_one_stays_the_active_job_until_its_timeout()
    {
        var refused = await StartAsync("external-refuse", "refuse");
        var silent = await StartAsync("external-silent", "silent");

        var refusedJob = await Eventually.MatchAsync(() => JobAsync(refused), job => job["status"]!.GetValue<string>() == "FAILED", TimeSpan.FromSeconds(10), "the refused job FAILED");
        var runningSilent = await JobAsync(silent);
        var second = await PostAsync("""mutation { triggerRetrain(modelId: "external-silent", machineId: "press-1") { id } }""");
        var silentJob = await Eventually.MatchAsync(() => JobAsync(silent), job => job["status"]!.GetValue<string>() == "FAILED", TimeSpan.FromSeconds(20), "the silent job FAILED at its timeout");
        var alerts = await PostAsync("""{ alerts(modelId: "external-silent", type: TRAINING_FAILED) { status } }""");

        Assert.Contains("400", refusedJob["error"]!.GetValue<string>());
        Assert.Single(received, r => r.Body["jobId"]!.GetValue<string>() == refused);
        Assert.NotEqual("FAILED", runningSilent["status"]!.GetValue<string>());
        // While a job is active, a second trigger returns it rather than starting another.
        Assert.Equal(silent, second["data"]!["triggerRetrain"]!["id"]!.GetValue<string>());
        Assert.Contains("did not complete the job within", silentJob["error"]!.GetValue<string>());
        Assert.Single(alerts["data"]!["alerts"]!.AsArray());
    }
}
