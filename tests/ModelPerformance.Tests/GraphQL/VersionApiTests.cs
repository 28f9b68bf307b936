namespace ModelPerformance.Tests.GraphQL;

/// <summary>The version registry over HTTP: versions seen in data, registered ones, promotion and rollback.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class VersionApiTests(GraphQLServiceFixture fixture)
{
    private const string Monitor = """
        query M($modelId: ID!) {
          monitor(modelId: $modelId, machineId: "press-1") {
            activeVersion sampleCount current { mae } drift { referenceSize }
            versions { version isChampion promotedAt createdAt trainingJobId metrics { mae } artifact }
          }
        }
        """;

    private const string Promote = """
        mutation P($modelId: ID!, $version: String!) {
          promoteVersion(modelId: $modelId, machineId: "press-1", version: $version) { activeVersion current { mae } }
        }
        """;

    private async Task RecordAsync(string modelId, string version, double error)
    {
        var samples = Enumerable.Range(0, 20).Select(i => new { predicted = 10.0 + error, actual = 10.0, features = new { load = (double)i } }).ToList();
        var reply = await fixture.PostAsync("""
            mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }
            """, new { input = new { modelId, machineId = "press-1", modelVersion = version, samples } });
        Assert.True(reply.Errors.Count == 0, reply.Text);
    }

    [Fact]
    public async Task Versions_seen_in_data_and_registered_ones_are_listed_and_a_promotion_moves_the_champion_and_back()
    {
        var modelId = "versions-" + Guid.NewGuid().ToString("N")[..8];
        await RecordAsync(modelId, "v1", 1.0);
        await RecordAsync(modelId, "v2", 3.0);
        var registered = await fixture.PostAsync("""
            mutation V($input: RegisterVersionInput!) { registerVersion(input: $input) { version isChampion promotedAt metrics { mae } artifact } }
            """, new { input = new { modelId, machineId = "press-1", version = "v3", metrics = new { mae = 0.5 }, artifact = new { uri = "s3://models/v3" } } });
        var again = await fixture.PostAsync("""
            mutation { registerVersion(input: { modelId: "MODEL", machineId: "press-1", version: "v3" }) { version } }
            """.Replace("MODEL", modelId));

        var before = (await fixture.PostAsync(Monitor, new { modelId })).Data!["monitor"]!;

        Assert.True(registered.Errors.Count == 0, registered.Text);
        Assert.False(registered.Data!["registerVersion"]!["isChampion"]!.GetValue<bool>());
        Assert.Equal("s3://models/v3", registered.Data!["registerVersion"]!["artifact"]!["uri"]!.GetValue<string>());
        Assert.Equal("CONFLICT", again.Code);
        Assert.Equal("input/version", again.InputPath);
        Assert.Equal("v1", before["activeVersion"]!.GetValue<string>());
        Assert.Equal(["v1", "v2", "v3"], before["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>()));
        Assert.Equal([true, false, false], before["versions"]!.AsArray().Select(v => v!["isChampion"]!.GetValue<bool>()));
        Assert.NotNull(before["versions"]![0]!["promotedAt"]);
        Assert.Null(before["versions"]![1]!["promotedAt"]);
        Assert.Equal(1.0, before["current"]!["mae"]!.GetValue<double>(), 9);

        // v2 becomes champion: the window starts over, so its next samples alone make the current metrics.
        var promoted = await fixture.PostAsync(Promote, new { modelId, version = "v2" });
        await RecordAsync(modelId, "v2", 3.0);
        await RecordAsync(modelId, "v1", 1.0);
        var after = (await fixture.PostAsync(Monitor, new { modelId })).Data!["monitor"]!;

        Assert.True(promoted.Errors.Count == 0, promoted.Text);
        Assert.Equal("v2", promoted.Data!["promoteVersion"]!["activeVersion"]!.GetValue<string>());
        Assert.Null(promoted.Data!["promoteVersion"]!["current"]!["mae"]);
        Assert.Equal(3.0, after["current"]!["mae"]!.GetValue<double>(), 9);
        Assert.Equal([false, true, false], after["versions"]!.AsArray().Select(v => v!["isChampion"]!.GetValue<bool>()));

        // A rollback is a promotion of the older version.
        var rolledBack = await fixture.PostAsync(Promote, new { modelId, version = "v1" });
        var last = (await fixture.PostAsync(Monitor, new { modelId })).Data!["monitor"]!;

        Assert.Equal("v1", rolledBack.Data!["promoteVersion"]!["activeVersion"]!.GetValue<string>());
        Assert.Equal([true, false, false], last["versions"]!.AsArray().Select(v => v!["isChampion"]!.GetValue<bool>()));
        Assert.True(DateTime.Parse(last["versions"]![0]!["promotedAt"]!.GetValue<string>()) > DateTime.Parse(before["versions"]![0]!["promotedAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Promoting_an_unknown_version_or_on_an_unknown_monitor_is_not_found()
    {
        var modelId = "versions-" + Guid.NewGuid().ToString("N")[..8];
        var noMonitor = await fixture.PostAsync(Promote, new { modelId, version = "v1" });
        await RecordAsync(modelId, "v1", 1.0);
        var noVersion = await fixture.PostAsync(Promote, new { modelId, version = "v9" });

        Assert.Equal("NOT_FOUND", noMonitor.Code);
        Assert.Equal("NOT_FOUND", noVersion.Code);
        Assert.Equal("version", noVersion.InputPath);
    }
}
