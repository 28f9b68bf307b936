using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelPerformance.Tests.GraphQL;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>A subscription held by the npm graphql-ws client, run by node (subscribe.mjs).</summary>
public sealed class NodeSubscriber : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly Task<string> errors;

    private NodeSubscriber(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines.Writer.TryComplete();
            }
            else
            {
                lines.Writer.TryWrite(e.Data);
            }
        };
        process.BeginOutputReadLine();
        errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts the client and returns once its subscription is live.</summary>
    public static async Task<NodeSubscriber> StartAsync(Uri httpBase, string query, object variables, int count)
    {
        var root = Repository.RequireNodeModules("graphql-ws");
        var script = Path.Combine(root, "tests", "ModelPerformance.Tests", "Subscriptions", "subscribe.mjs");
        var url = new UriBuilder(httpBase) { Scheme = "ws", Path = "/graphql" }.Uri.ToString();
        var process = Process.Start(new ProcessStartInfo("node", [script, url, query, JsonSerializer.Serialize(variables), count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var subscriber = new NodeSubscriber(process);
        Assert.Equal("ready", (await subscriber.NextAsync()).GetValue<string>());
        return subscriber;
    }

    /// <summary>The next line the script printed: an event's payload (<c>{ data }</c>).</summary>
    public async Task<JsonNode> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            if (await lines.Reader.WaitToReadAsync(timeout.Token) && lines.Reader.TryRead(out var line))
            {
                return JsonNode.Parse(line)!;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"node subscribe.mjs printed nothing within {Timeout.TotalSeconds} s");
        }
        await process.WaitForExitAsync();
        Assert.Fail($"node subscribe.mjs exited with {process.ExitCode} before the next event: {await errors}");
        throw new UnreachableException();
    }

    /// <summary>Waits for the script to complete its subscription and exit cleanly.</summary>
    public async Task CompleteAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node subscribe.mjs exited with {process.ExitCode}: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
