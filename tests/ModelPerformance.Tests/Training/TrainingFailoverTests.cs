using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Training;

/// <summary>
/// A RUNNING training job whose silo is killed: two whole services on one PostgreSQL cluster, an external trainer on a
/// real HTTP listener, and the trainer's callback (retried, as a trainer does when the call fails) reaching the survivor.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TrainingFailoverTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly HttpListener trainer = new();
    private readonly ConcurrentQueue<JsonNode> received = new();
    private int trainerPort;

    public Task InitializeAsync()
    {
        trainerPort = RunningService.FreePort();
        trainer.Prefixes.Add($"http://127.0.0.1:{trainerPort}/");
        trainer.Start();
        _ = Task.Run(ServeAsync);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        trainer.Close();
        return Task.CompletedTask;
    }

    private async Task ServeAsync()
    {
        while (trainer.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await trainer.GetContextAsync();
            }
            catch (Exception) when (!trainer.IsListening)
            {
                return;
            }
            received.Enqueue(JsonNode.Parse(await new StreamReader(context.Request.InputStream).ReadToEndAsync())!);
            context.Response.StatusCode = 202;
            context.Response.Close();
        }
    }

    [Fact]
    public async Task A_running_job_whose_silo_is_killed_ends_exactly_once_on_the_survivor()
    {
        var connectionString = await postgres.CreateDatabaseAsync("trainingfailover");
        var clusterId = $"failover-{Guid.NewGuid():N}";
        const string modelId = "failover-model";
        // The job and its monitor activate on the only silo there is, so the silo killed below is the one holding them.
        await using var first = await RunningService.StartAsync(connectionString, clusterId, FailoverSettings.Fast);
        using var toFirst = new HttpClient { BaseAddress = first.BaseAddress };
        var jobId = await StartExternalJobAsync(toFirst, modelId);
        await Eventually.MatchAsync(() => StatusAsync(toFirst, jobId), s => s == "RUNNING", TimeSpan.FromSeconds(15), "the accepted job RUNNING");
        var token = received.Single(r => r["jobId"]!.GetValue<string>() == jobId)["callbackToken"]!.GetValue<string>();

        await using var survivor = await RunningService.StartAsync(connectionString, clusterId, FailoverSettings.Fast);
        using var toSurvivor = new HttpClient { BaseAddress = survivor.BaseAddress };
        await first.KillAsync();

        var completion = new { input = new { id = jobId, succeeded = true, token, newVersion = "v2-failover", metricsAfter = new { rmse = 0.1 } } };
        var completed = await Eventually.MatchAsync(
            () => PostAsync(toSurvivor, Complete, completion), answer => answer["errors"] is null,
            TimeSpan.FromSeconds(60), "the callback accepted by the survivor");
        var repeated = await PostAsync(toSurvivor, Complete, completion);
        var monitor = await PostAsync(toSurvivor, """
            { monitor(modelId: "failover-model", machineId: "press-1") { activeVersion versions { version trainingJobId isChampion } trainingJobs { id status } } }
            """);
        var rows = await HistoryAsync(connectionString, jobId);
        var membership = await Eventually.MatchAsync(
            () => OrleansTables.MembershipAsync(connectionString, clusterId), r => r.Any(m => m.Port == first.SiloPort && m.Status == MembershipRow.Dead),
            TimeSpan.FromSeconds(30), "the killed silo declared dead");
        await Assert.ThrowsAsync<HttpRequestException>(() => toFirst.GetAsync("/health/live"));

        Assert.Equal("SUCCEEDED", completed["data"]!["completeTraining"]!["status"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", repeated["data"]!["completeTraining"]!["status"]!.GetValue<string>());
        Assert.Equal(completed["data"]!["completeTraining"]!["completedAt"]!.GetValue<string>(), repeated["data"]!["completeTraining"]!["completedAt"]!.GetValue<string>());
        Assert.Equal([("SUCCEEDED", "v2-failover")], rows);
        var view = monitor["data"]!["monitor"]!;
        Assert.Equal("v2-failover", view["activeVersion"]!.GetValue<string>());
        var trained = view["versions"]!.AsArray().Where(v => v!["trainingJobId"]?.GetValue<string>() == jobId).ToList();
        Assert.Single(trained);
        Assert.True(trained[0]!["isChampion"]!.GetValue<bool>());
        Assert.Equal([(jobId, "SUCCEEDED")], view["trainingJobs"]!.AsArray().Select(j => (j!["id"]!.GetValue<string>(), j["status"]!.GetValue<string>())));
        Assert.Single(received);
        Assert.Contains(membership, m => m.Port == survivor.SiloPort && m.Status == MembershipRow.Active);
    }

    private const string Complete = """
        mutation C($input: CompleteTrainingInput!) { completeTraining(input: $input) { status newVersion completedAt } }
        """;

    private async Task<string> StartExternalJobAsync(HttpClient http, string modelId)
    {
        var random = new Random(5);
        var samples = Enumerable.Range(0, 40).Select(_ =>
        {
            var x = random.NextDouble() * 10;
            return new { predicted = 2 * x + 4, actual = 2 * x + 1, features = new { x } };
        }).ToList();
        var recorded = await PostAsync(http, "mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
            new { input = new { modelId, machineId = "press-1", modelVersion = "v1", samples } });
        Assert.Null(recorded["errors"]);
        var configured = await PostAsync(http, $$"""
            mutation { configureMonitor(modelId: "{{modelId}}", machineId: "press-1", config: { trainerUrl: "http://127.0.0.1:{{trainerPort}}/train", promotionPolicy: AUTO_IF_BETTER }) { modelId } }
            """);
        Assert.Null(configured["errors"]);
        var started = await PostAsync(http, $$"""mutation { triggerRetrain(modelId: "{{modelId}}", machineId: "press-1") { id } }""");
        return started["data"]!["triggerRetrain"]!["id"]!.GetValue<string>();
    }

    private static async Task<string> StatusAsync(HttpClient http, string id) =>
        (await PostAsync(http, "query J($id: ID!) { trainingJob(id: $id) { status } }", new { id }))["data"]!["trainingJob"]!["status"]!.GetValue<string>();

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object? variables = null)
    {
        var response = await http.PostAsJsonAsync("/graphql", new { query, variables });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<List<(string Status, string? NewVersion)>> HistoryAsync(string connectionString, string jobId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status, new_version FROM model_training_history WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(jobId));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        return rows;
    }
}
