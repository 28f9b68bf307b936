using System.Text.Json.Nodes;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>The dashboard's queries over HTTP in memory mode.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class DashboardApiTests(GraphQLServiceFixture fixture) : DashboardQueriesTests
{
    protected override RunningService Service => fixture.Service;

    protected override HttpClient Http => fixture.Http;
}

/// <summary>The same on PostgreSQL, where the registry's page, counts and a page's alerts are SQL; one service for the class.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDashboardApiTests(PostgresDashboardService fixture) : DashboardQueriesTests, IClassFixture<PostgresDashboardService>
{
    protected override RunningService Service => fixture.Service;

    protected override HttpClient Http => fixture.Http;
}

public sealed class PostgresDashboardService(PostgresServer postgres) : IAsyncLifetime
{
    public RunningService Service { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await RunningService.StartAsync(await postgres.CreateDatabaseAsync("dashboard"), $"dashboard-{Guid.NewGuid():N}");
        Http = new HttpClient { BaseAddress = Service.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Service.DisposeAsync();
    }
}

/// <summary>The dashboard's queries over HTTP: fleet counts, the fleet from the registry (worst first, search, pages) and compare.</summary>
public abstract class DashboardQueriesTests
{
    protected abstract RunningService Service { get; }

    protected abstract HttpClient Http { get; }

    private Task<GraphQLReply> PostAsync(string query, object? variables = null) => GraphQLServiceFixture.PostAsync(Http, query, variables);

    /// <summary>
    /// Four monitors whose ids start with a model type of their own, three of that type: beta/press-1 CRITICAL (its baseline far better than its data),
    /// gamma/press-1 UNKNOWN (configured, no data yet, so of the default model type), alpha/press-1 and alpha/press-2 OK.
    /// </summary>
    private async Task<string> FleetAsync()
    {
        var modelType = "dash-" + Guid.NewGuid().ToString("N")[..8];
        await RecordAsync(modelType, "alpha", "press-1", rmse: 1, days: 3);
        await RecordAsync(modelType, "alpha", "press-2", rmse: 1, days: 2);
        await RecordAsync(modelType, "beta", "press-1", rmse: 9, days: 1);
        Succeeds(await PostAsync($$"""mutation { setBaseline(modelId: "{{modelType}}-beta", machineId: "press-1", metrics: { rmse: 1 }) { health } }"""));
        Succeeds(await PostAsync($$"""mutation { configureMonitor(modelId: "{{modelType}}-gamma", machineId: "press-1", config: { minSamples: 10 }) { health } }"""));
        return modelType;
    }

    /// <summary>
    /// The newest evaluation's time: 01:00 UTC of the last day whose 01:00 has passed, so that just after midnight it is
    /// not in the future, which the service refuses.
    /// </summary>
    private static readonly DateTime LatestEvaluatedAt = DateTime.UtcNow.AddHours(-1).Date.AddHours(1);

    /// <summary>One evaluation a day for the last <paramref name="days"/> days.</summary>
    private async Task RecordAsync(string modelType, string model, string machine, double rmse, int days)
    {
        var inputs = Enumerable.Range(0, days).Select(d => new
        {
            modelId = $"{modelType}-{model}", machineId = machine, modelType, sampleCount = 100,
            evaluatedAt = LatestEvaluatedAt.AddDays(-d), metrics = new { rmse = rmse + d * 0.1 },
        }).ToArray();
        Succeeds(await PostAsync("mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs }));
    }

    private static JsonNode Succeeds(GraphQLReply reply)
    {
        Assert.True(reply.Errors.Count == 0, reply.Text);
        return reply.Data!;
    }

    private const string Fleet = """
        query F($modelType: String, $search: String, $first: Int, $after: String, $order: MonitorOrder) {
          monitors(modelType: $modelType, search: $search, first: $first, after: $after, orderBy: $order) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { modelId machineId modelType health activeVersion lastEvaluatedAt latest { metrics { rmse } } alerts(status: OPEN) { type severity } } }
          }
        }
        """;

    [Fact]
    public async Task The_fleet_summary_counts_monitors_by_health_and_alerts_not_resolved()
    {
        var modelType = await FleetAsync();

        var summary = Succeeds(await PostAsync("query S($t: String) { fleetSummary(modelType: $t) { monitors ok warning critical unknown openAlerts criticalAlerts } }",
            new { t = modelType }))["fleetSummary"]!;
        var onOneMachine = Succeeds(await PostAsync("query S($t: String) { fleetSummary(modelType: $t, machineId: \"press-2\") { monitors ok } }",
            new { t = modelType }))["fleetSummary"]!;

        Assert.Equal(3, summary["monitors"]!.GetValue<int>());
        Assert.Equal(1, summary["critical"]!.GetValue<int>());
        Assert.Equal(2, summary["ok"]!.GetValue<int>());
        Assert.Equal(0, summary["unknown"]!.GetValue<int>());
        Assert.Equal(0, summary["warning"]!.GetValue<int>());
        Assert.Equal(1, summary["openAlerts"]!.GetValue<int>());
        Assert.Equal(1, summary["criticalAlerts"]!.GetValue<int>());
        Assert.Equal(1, onOneMachine["monitors"]!.GetValue<int>());
        Assert.Equal(1, onOneMachine["ok"]!.GetValue<int>());
    }

    [Fact]
    public async Task Worst_first_pages_list_critical_then_unknown_then_ok_with_latest_metrics_and_open_alerts()
    {
        var modelType = await FleetAsync();

        var first = Succeeds(await PostAsync(Fleet, new { search = modelType, first = 2, order = "WORST_FIRST" }))["monitors"]!;
        var second = Succeeds(await PostAsync(Fleet, new { search = modelType, first = 2, order = "WORST_FIRST", after = first["pageInfo"]!["endCursor"]!.GetValue<string>() }))["monitors"]!;
        var byId = Succeeds(await PostAsync(Fleet, new { search = modelType, first = 10 }))["monitors"]!;
        var mixedCursor = await PostAsync(Fleet, new { search = modelType, first = 2, after = first["pageInfo"]!["endCursor"]!.GetValue<string>() });

        var nodes = first["edges"]!.AsArray().Concat(second["edges"]!.AsArray()).Select(e => e!["node"]!).ToList();
        Assert.Equal(4, first["totalCount"]!.GetValue<int>());
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.False(second["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["CRITICAL", "UNKNOWN", "OK", "OK"], nodes.Select(n => n["health"]!.GetValue<string>()));
        Assert.Equal([$"{modelType}-beta/press-1", $"{modelType}-gamma/press-1", $"{modelType}-alpha/press-1", $"{modelType}-alpha/press-2"],
            nodes.Select(n => $"{n["modelId"]}/{n["machineId"]}"));
        Assert.Equal(9.0, nodes[0]["latest"]!["metrics"]!["rmse"]!.GetValue<double>(), 9);
        Assert.Equal(LatestEvaluatedAt, DateTime.Parse(nodes[0]["lastEvaluatedAt"]!.GetValue<string>()).ToUniversalTime());
        Assert.Equal("DEGRADATION", Assert.Single(nodes[0]["alerts"]!.AsArray())!["type"]!.GetValue<string>());
        Assert.Null(nodes[1]["latest"]);
        Assert.Empty(nodes[2]["alerts"]!.AsArray());
        Assert.Equal(modelType, nodes[0]["modelType"]!.GetValue<string>());
        Assert.Equal("default", nodes[1]["modelType"]!.GetValue<string>());
        Assert.Equal([$"{modelType}-alpha/press-1", $"{modelType}-alpha/press-2", $"{modelType}-beta/press-1", $"{modelType}-gamma/press-1"],
            byId["edges"]!.AsArray().Select(e => $"{e!["node"]!["modelId"]}/{e["node"]!["machineId"]}"));
        Assert.Equal("BAD_USER_INPUT", mixedCursor.Code);
        Assert.Equal("after", mixedCursor.InputPath);
    }

    [Fact]
    public async Task Search_finds_a_part_of_an_id_ignoring_case()
    {
        var modelType = await FleetAsync();

        var found = Succeeds(await PostAsync(Fleet, new { modelType, search = "BETA" }))["monitors"]!;
        var byMachine = Succeeds(await PostAsync(Fleet, new { modelType, search = "ss-2" }))["monitors"]!;

        Assert.Equal([$"{modelType}-beta"], found["edges"]!.AsArray().Select(e => e!["node"]!["modelId"]!.GetValue<string>()));
        Assert.Equal(["press-2"], byMachine["edges"]!.AsArray().Select(e => e!["node"]!["machineId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Listing_the_fleet_wakes_no_monitor_grain()
    {
        var modelType = await FleetAsync();
        await Service.DeactivateAllAsync();
        var before = await MonitorActivationsAsync();

        var listed = Succeeds(await PostAsync(Fleet, new { search = modelType, order = "WORST_FIRST" }))["monitors"]!;
        var after = await MonitorActivationsAsync();
        Succeeds(await PostAsync("query F($s: String) { monitors(search: $s) { edges { node { current { rmse } } } } }", new { s = modelType }));
        var afterState = await MonitorActivationsAsync();

        Assert.Equal(4, listed["edges"]!.AsArray().Count);
        Assert.Equal(before, after);
        Assert.True(afterState >= before + 4, $"reading a monitor's state activates it: {before} then {afterState}");
    }

    private async Task<int> MonitorActivationsAsync()
    {
        var statistics = await Service.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(nameof(ModelMonitorGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    [Fact]
    public async Task Compare_gives_each_monitors_trend_ordered_by_id_and_refuses_what_it_cannot_do()
    {
        var modelType = await FleetAsync();

        var ofModel = Succeeds(await PostAsync("query C($m: ID) { compare(metric: RMSE, modelId: $m) { modelId machineId points { bucketStart mean count } } }",
            new { m = $"{modelType}-alpha" }))["compare"]!.AsArray();
        var ofType = Succeeds(await PostAsync("query C($t: String) { compare(metric: RMSE, modelType: $t, machineIds: [\"press-1\"]) { modelId machineId } }",
            new { t = modelType }))["compare"]!.AsArray();
        var nothing = await PostAsync("{ compare(metric: RMSE) { modelId } }");
        var badMachine = await PostAsync("{ compare(metric: RMSE, machineIds: [\"ok\", \"not ok\"]) { modelId } }");

        Assert.Equal(["press-1", "press-2"], ofModel.Select(t => t!["machineId"]!.GetValue<string>()));
        Assert.Equal(3, ofModel[0]!["points"]!.AsArray().Count);
        Assert.Equal(1.0, ofModel[0]!["points"]!.AsArray()[^1]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(1.2, ofModel[0]!["points"]!.AsArray()[0]!["mean"]!.GetValue<double>(), 9);
        Assert.Equal(2, ofModel[1]!["points"]!.AsArray().Count);
        Assert.Equal([$"{modelType}-alpha", $"{modelType}-beta"], ofType.Select(t => t!["modelId"]!.GetValue<string>()));
        Assert.Equal("BAD_USER_INPUT", nothing.Code);
        Assert.Equal("BAD_USER_INPUT", badMachine.Code);
        Assert.Equal("machineIds/1", badMachine.InputPath);
    }

    [Fact]
    public async Task Compare_of_more_than_fifty_monitors_is_bad_input()
    {
        var modelType = "dash-" + Guid.NewGuid().ToString("N")[..8];
        var inputs = Enumerable.Range(0, 51).Select(i => new { modelId = $"{modelType}-m", machineId = $"press-{i}", modelType, metrics = new { rmse = 1.0 } }).ToArray();
        Succeeds(await PostAsync("mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", new { inputs }));

        var reply = await PostAsync("query C($t: String) { compare(metric: RMSE, modelType: $t) { modelId } }", new { t = modelType });

        Assert.Equal("BAD_USER_INPUT", reply.Code);
        Assert.Equal("modelType", reply.InputPath);
        Assert.Contains("51", reply.Error["message"]!.GetValue<string>());
    }
}
