using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Dashboard;

/// <summary>
/// The dashboard page in Debian's Chromium, driven by playwright-core (dashboard-browser.mjs), against a whole service
/// in memory mode that the test stops and starts again on the same port when the script asks. Screenshots of each view
/// are written to <c>screenshots/</c> in the test output.
/// </summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task In_a_browser_the_page_shows_the_fleet_a_monitor_live_alerts_comparison_and_notifications_and_survives_the_service_going_away()
    {
        var chromium = Repository.RequireChromium();
        var root = Repository.RequireNodeModules("playwright-core");
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        var port = RunningService.FreePort();
        var service = await RunningService.StartAsync(httpPort: port);
        try
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            const string modelId = "energy-baseline";
            await SeedAsync(http, modelId);

            var (seen, requests) = await RunAsync(Path.Combine(root, "tests", "ModelPerformance.Tests", "Dashboard", "dashboard-browser.mjs"),
                [service.BaseAddress.ToString().TrimEnd('/'), shots, modelId, "2"], chromium, async request =>
                {
                    if (request == "stop")
                    {
                        await service.DisposeAsync();
                        return "stopped";
                    }
                    service = await RunningService.StartAsync(httpPort: port);
                    return "started";
                });

            var steps = seen["steps"]!;
            Assert.True(seen["failure"] is null, seen.ToJsonString());
            Assert.Empty(seen["errors"]!.AsArray());
            Assert.Equal(["stop", "start"], requests);
            Assert.Equal(5, steps["fleetRows"]!.GetValue<int>());
            Assert.Equal(5, steps["summaryMonitors"]!.GetValue<int>());
            Assert.Equal(2, steps["criticalRows"]!.GetValue<int>());
            Assert.Contains("health=CRITICAL", steps["urlAfterFilter"]!.GetValue<string>());
            Assert.Equal(3, steps["searchedRows"]!.GetValue<int>());
            Assert.Equal($"#/monitor/{modelId}/press-1", steps["monitorHash"]!.GetValue<string>());
            Assert.True(steps["chartPoints"]!.GetValue<int>() >= 5, steps.ToJsonString());
            Assert.True(steps["chartMoved"]!["after"]!.GetValue<double>() > steps["chartMoved"]!["before"]!.GetValue<double>(), steps["chartMoved"]!.ToJsonString());
            Assert.Equal("CRITICAL", steps["raisedHealth"]!.GetValue<string>());
            Assert.Equal("ACKNOWLEDGED", steps["acknowledgedInApi"]!.GetValue<string>());
            Assert.Contains("silenced until", steps["silencedShown"]!.GetValue<string>());
            var silence = steps["silenceInApi"]!;
            Assert.Equal(modelId, silence["modelId"]!.GetValue<string>());
            Assert.Equal("press-1", silence["machineId"]!.GetValue<string>());
            Assert.Equal("silenced from the dashboard", silence["comment"]!.GetValue<string>());
            Assert.NotEqual("rgb(248, 250, 252)", steps["darkBackground"]!.GetValue<string>());
            Assert.Contains("versionB", steps["refusalShown"]!.GetValue<string>());
            Assert.Equal(3, steps["compareSeries"]!.GetValue<int>());
            Assert.Contains("browser-test hook", steps["channelRow"]!.GetValue<string>());
            Assert.Contains("WEBHOOK", steps["channelRow"]!.GetValue<string>());
            Assert.Equal("browser-test hook", steps["deliveryChannel"]!.GetValue<string>());
            Assert.True(steps["silenceListed"]!.GetValue<bool>());
            Assert.False(steps["activeAfterExpire"]!.GetValue<bool>(), "the expired silence is no longer active");
            Assert.True(steps["phoneOverflow"]!.GetValue<int>() <= 0, $"the page is {steps["phoneOverflow"]} px wider than a phone");
            var focused = steps["focused"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
            Assert.Contains("A:Fleet", focused);
            Assert.Contains("A:Compare", focused);
            Assert.Contains("A:Notifications", focused);
            Assert.Contains(focused, f => f.StartsWith("INPUT", StringComparison.Ordinal));
            Assert.Contains(focused, f => f.StartsWith("SELECT", StringComparison.Ordinal));
            Assert.Contains($"A:{modelId} / press-1", focused);
            Assert.Equal("Offline", steps["offlineText"]!.GetValue<string>());
            Assert.True(steps["caughtUp"]!.GetValue<bool>(), "after reconnecting the page read the fleet again");
            foreach (var view in new[] { "fleet", "monitor", "monitor-dark", "compare", "alerts", "notifications", "fleet-phone", "offline" })
            {
                Assert.True(new FileInfo(Path.Combine(shots, $"{view}.png")).Length > 0, $"screenshot of {view}");
            }
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>
    /// Three machines of <paramref name="modelId"/> with a week of evaluations (press-2 far worse than its baseline, so
    /// CRITICAL; press-1 has a second version registered) and two monitors of another model, one of them CRITICAL too.
    /// </summary>
    private static async Task SeedAsync(HttpClient http, string modelId)
    {
        var monitors = new[] { (modelId, "press-1", 1.0, 1.0), (modelId, "press-2", 9.0, 1.0), (modelId, "press-3", 2.0, 2.0), ("forecast-24h", "kiln-1", 30.0, 10.0), ("forecast-24h", "kiln-2", 10.0, 10.0) };
        foreach (var (model, machine, rmse, baseline) in monitors)
        {
            var inputs = Enumerable.Range(0, 7).SelectMany(d => Enumerable.Range(0, 4).Select(q => new
            {
                modelId = model, machineId = machine, modelType = model == modelId ? "energy" : "forecast", sampleCount = 100, modelVersion = "v1",
                evaluatedAt = DateTime.UtcNow.AddDays(-d).AddHours(-6 * q), metrics = new { rmse = rmse * (1 + 0.05 * Math.Sin(d + q)), mae = rmse * 0.8 },
            })).ToArray();
            Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs }));
            Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation B($m: ID!, $c: ID!, $rmse: Float) { setBaseline(modelId: $m, machineId: $c, metrics: { rmse: $rmse }) { health } }",
                new { m = model, c = machine, rmse = baseline }));
        }
        Succeeds(await GraphQLServiceFixture.PostAsync(http, "mutation V($m: ID!) { registerVersion(input: { modelId: $m, machineId: \"press-1\", version: \"v2\" }) { version } }", new { m = modelId }));
    }

    private static void Succeeds(GraphQLReply reply) => Assert.True(reply.Errors.Count == 0, reply.Text);

    /// <summary>Runs the script, answering its requests on stdin, and returns its last line (the result) and the requests it made.</summary>
    private static async Task<(JsonNode Result, List<string> Requests)> RunAsync(string script, string[] arguments, string chromium, Func<string, Task<string>> answer)
    {
        var start = new ProcessStartInfo("node", [script, .. arguments])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHROMIUM_PATH"] = chromium;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var requests = new List<string>();
        JsonNode? result = null;
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var message = JsonNode.Parse(line)!;
            if (message["request"]?.GetValue<string>() is { } request)
            {
                requests.Add(request);
                await process.StandardInput.WriteLineAsync(await answer(request));
                await process.StandardInput.FlushAsync();
            }
            else
            {
                result = message;
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(result is not null, $"the script printed no result: {await error}");
        return (result!, requests);
    }
}
