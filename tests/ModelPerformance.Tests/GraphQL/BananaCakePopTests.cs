using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ModelPerformance.Tests.GraphQL;

[Collection(GraphQLServiceCollection.Name)]
public sealed class BananaCakePopTests(GraphQLServiceFixture fixture)
{
    [Fact]
    public async Task A_browser_opening_the_endpoint_gets_the_ide()
    {
        Repository.RequireNodeModules("@chillicream/bananacakepop-graphql-ide");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        var reply = await fixture.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/html", reply.MediaType);
        Assert.Contains("<title>Banana Cake Pop</title>", reply.Text);
        Assert.Contains("<base href=\"/graphql/\"/>", reply.Text);
    }

    [Fact]
    public async Task The_ide_assets_are_served_under_the_endpoint()
    {
        Repository.RequireNodeModules("@chillicream/bananacakepop-graphql-ide");
        using var index = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        index.Headers.Accept.ParseAdd("text/html");
        var html = (await fixture.SendAsync(index)).Text;
        var script = html.Split("src=\"")[1].Split('"')[0];

        using var response = await fixture.Http.GetAsync("/graphql/" + script);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_ide_config_points_at_the_endpoint()
    {
        var config = JsonNode.Parse(await fixture.Http.GetStringAsync("/graphql/bcp-config.json"))!;

        Assert.Equal("/graphql", config["endpoint"]!.GetValue<string>());
        Assert.True(config["useBrowserUrlAsEndpoint"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_ides_introspection_query_is_answered_within_the_limits()
    {
        var root = Repository.RequireNodeModules("graphql");
        using var node = Process.Start(new ProcessStartInfo("node",
            ["--input-type=module", "-e", "import { getIntrospectionQuery } from 'graphql'; console.log(getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true, schemaDescription: true }));"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
        })!;
        var query = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();

        var reply = await fixture.PostAsync(query);

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        Assert.Empty(reply.Errors);
        Assert.Equal("Query", reply.Data!["__schema"]!["queryType"]!["name"]!.GetValue<string>());
    }
}
