using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.GraphQL;

/// <summary>One in-memory service for the GraphQL tests, reached through a real socket.</summary>
public sealed class GraphQLServiceFixture : IAsyncLifetime
{
    public const string GraphQLResponse = "application/graphql-response+json";

    public RunningService Service { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Uri Endpoint => new(Service.BaseAddress, "/graphql");

    public async Task InitializeAsync()
    {
        Service = await RunningService.StartAsync();
        Http = new HttpClient { BaseAddress = Service.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Service.DisposeAsync();
    }

    /// <summary>POSTs a GraphQL request as JSON and returns the status, the response media type and the parsed body.</summary>
    public Task<GraphQLReply> PostAsync(string query, object? variables = null, string accept = GraphQLResponse) =>
        PostAsync(Http, query, variables, accept);

    public Task<GraphQLReply> SendAsync(HttpRequestMessage request) => SendAsync(Http, request);

    /// <summary>POSTs a GraphQL request to the service <paramref name="http"/> is addressed to.</summary>
    public static async Task<GraphQLReply> PostAsync(HttpClient http, string query, object? variables = null, string accept = GraphQLResponse)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await SendAsync(http, request);
    }

    private static async Task<GraphQLReply> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new GraphQLReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }
}

public sealed record GraphQLReply(HttpStatusCode Status, string? MediaType, string Text)
{
    public JsonNode Body => JsonNode.Parse(Text) ?? throw new InvalidOperationException("The response body is JSON null.");

    public JsonNode? Data => Body["data"];

    public JsonArray Errors => Body["errors"]?.AsArray() ?? [];

    /// <summary>The single error of a failed request, for assertions on its code and paths.</summary>
    public JsonNode Error => Assert.Single(Errors)!;

    public string? Code => Error["extensions"]?["code"]?.GetValue<string>();

    /// <summary>The path of the offending input, as strings and numbers joined with '/'.</summary>
    public string? InputPath => Error["extensions"]?["inputPath"]?.AsArray().Select(p => p!.ToJsonString().Trim('"')).Aggregate((a, b) => $"{a}/{b}");
}

[CollectionDefinition(Name)]
public sealed class GraphQLServiceCollection : ICollectionFixture<GraphQLServiceFixture>
{
    public const string Name = "graphql service";
}

/// <summary>Where the repository and its npm packages are, for tests that read shared files or run node.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The contract, in shared/contract next to the repository (../shared from the main checkout; a
    /// worktree further down finds the same folder higher up).
    /// </summary>
    public static string ContractSchema { get; } = FindContract();

    /// <summary>
    /// The repository root, after checking that node and the npm packages are there: tests that need them
    /// fail (never skip) with what to do.
    /// </summary>
    public static string RequireNodeModules(string package)
    {
        if (!File.Exists(Path.Combine(Root, "node_modules", package, "package.json")))
        {
            Assert.Fail($"npm package {package} is missing: run `npm ci` at the repository root ({Root}).");
        }
        if (FindOnPath("node") is null)
        {
            Assert.Fail("node is not on PATH: install Node.js 20 or later, then run `npm ci` at the repository root.");
        }
        return Root;
    }

    /// <summary>Runs a node script from the repository root and parses the JSON it prints; a failure fails the test with its error output.</summary>
    public static async Task<JsonNode> RunNodeAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo("node", [script, .. arguments])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {await error}");
        return JsonNode.Parse(await output)!;
    }

    /// <summary>Debian's Chromium, for tests in a real browser; missing, the test fails with what to install.</summary>
    public static string RequireChromium()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? FindOnPath("chromium");
        if (path is null || !File.Exists(path))
        {
            Assert.Fail("chromium is not installed: run `apt-get install -y chromium` (or set CHROMIUM_PATH).");
        }
        return path!;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string FindContract()
    {
        for (var dir = Directory.GetParent(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "contract", "schema.graphql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No shared/contract/schema.graphql above {Root}.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelPerformance.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ModelPerformance.sln above {AppContext.BaseDirectory}.");
    }
}
