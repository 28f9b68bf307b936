using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Tests.GraphQL;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>
/// The built service as its own process, a member of a PostgreSQL cluster, for fault tests that kill it with SIGKILL: nothing of it runs
/// after, as in a crash. Membership is tuned so the others declare it dead within seconds.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int KeptLines = 5_000;
    private readonly ConcurrentQueue<string> lines = new();

    private SiloProcess(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    /// <summary>The log entries at level error or above that the silo wrote, with the lines that follow each (its exception).</summary>
    public string Failures()
    {
        var kept = lines.ToArray();
        var failures = kept.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(l => string.Join('\n', kept.Skip(l.i).Take(12)));
        return string.Join("\n", failures);
    }

    public Process Process { get; }

    public Uri Address { get; }

    public static string Binary
    {
        get
        {
            var silo = Path.Combine(Repository.Root, "src", "Silo", "bin", "Debug", "net10.0", "ModelPerformance.Silo.dll");
            Assert.True(File.Exists(silo), $"the service is not built at {silo}: run `dotnet build ModelPerformance.sln`");
            return silo;
        }
    }

    /// <param name="settings">More configuration, as environment variables (<c>__</c> for <c>:</c>).</param>
    public static SiloProcess Start(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = RunningService.FreePort();
        var start = new ProcessStartInfo("dotnet", [Binary])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__SiloPort"] = RunningService.FreePort().ToString(),
            ["Orleans__GatewayPort"] = RunningService.FreePort().ToString(),
            ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Orleans__Membership__TableRefreshTimeout"] = "00:00:01",
            ["Orleans__Membership__DeathVoteExpirationTimeout"] = "00:00:10",
            ["Auth__AllowAnonymous"] = "true",
            ["Monitors__CheckIntervalUnit"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{port}"));
        // Drained, so that a full pipe never blocks the silo, and the last lines kept for a failing test to show.
        _ = Task.Run(() => silo.KeepAsync(process.StandardOutput));
        _ = Task.Run(() => silo.KeepAsync(process.StandardError));
        return silo;
    }

    private async Task KeepAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
            while (lines.Count > KeptLines && lines.TryDequeue(out _))
            {
            }
        }
    }

    /// <summary>POSTs a GraphQL request to this silo and fails the test on any error.</summary>
    public async Task PostAsync(HttpClient http, string query, object variables)
    {
        using var response = await http.PostAsJsonAsync(new Uri(Address, "/graphql"), new { query, variables });
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(reply?["errors"] is null, reply?.ToJsonString());
    }

    public async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync(new Uri(Address, "/health/ready"))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public Task WaitReadyAsync(HttpClient http) =>
        Eventually.MatchAsync(() => IsReadyAsync(http), ok => ok, TimeSpan.FromSeconds(90), $"silo at {Address} ready");

    /// <summary>SIGKILL: no shutdown of any kind.</summary>
    public void Kill() => Process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Kill();
        }
        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}
