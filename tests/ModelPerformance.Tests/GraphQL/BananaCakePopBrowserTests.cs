namespace ModelPerformance.Tests.GraphQL;

/// <summary>Banana Cake Pop in Debian's Chromium, driven by playwright-core, against the running service.</summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class BananaCakePopBrowserTests(GraphQLServiceFixture fixture)
{
    [Fact]
    public async Task In_a_browser_the_ide_loads_the_schema_and_shows_a_subscriptions_events()
    {
        var chromium = Repository.RequireChromium();
        var root = Repository.RequireNodeModules("playwright-core");
        var screenshot = Path.Combine(Path.GetTempPath(), $"bcp-{Guid.NewGuid():N}.png");
        Environment.SetEnvironmentVariable("CHROMIUM_PATH", chromium);

        var seen = await Repository.RunNodeAsync(Path.Combine(root, "tests", "ModelPerformance.Tests", "GraphQL", "bcp-browser.mjs"),
            [fixture.Endpoint.ToString(), screenshot], TimeSpan.FromSeconds(120));

        Assert.True(seen["failure"] is null, seen.ToJsonString());
        Assert.Empty(seen["errors"]!.AsArray());
        Assert.Contains(seen["requests"]!.AsArray(), r => r!.GetValue<string>() == "GET /graphql/bcp-config.json");
        Assert.Equal(200, seen["introspectionStatus"]!.GetValue<int>());
        Assert.True(seen["schemaAvailable"]!.GetValue<bool>());
        Assert.Contains(seen["sockets"]!.AsArray(), s => s!.GetValue<string>() == "/graphql");
        Assert.True(seen["eventShown"]!.GetValue<bool>(), "the IDE showed the evaluationRecorded event of a mutation");
        Assert.True(new FileInfo(screenshot).Length > 0);
        File.Delete(screenshot);
    }
}
