using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using ModelPerformance.Silo.Hosting;
using Npgsql;

namespace ModelPerformance.Bench;

/// <summary>The whole service on free loopback ports, started as the tests start it (RunningService).</summary>
public sealed class BenchService : IAsyncDisposable
{
    private BenchService(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => App.Services;
    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    /// <param name="configure">Runs on the built app before it starts (the bench adds its no-op baseline endpoint here).</param>
    /// <param name="settings">More configuration, e.g. authentication.</param>
    public static async Task<BenchService> StartAsync(string? postgres, Action<WebApplication>? configure = null, string clusterId = "bench",
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var httpPort = FreePort();
        var overrides = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Orleans:SiloPort"] = FreePort().ToString(),
            ["Orleans:GatewayPort"] = FreePort().ToString(),
            ["Orleans:ClusterId"] = clusterId,
            ["ConnectionStrings:Postgres"] = postgres,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:AllowAnonymous"] = postgres is null ? null : "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }
        var app = ServiceHost.Build([], overrides);
        configure?.Invoke(app);
        await app.StartAsync();
        return new BenchService(app, new Uri($"http://127.0.0.1:{httpPort}"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}


public static class Stats
{
    public static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}

/// <summary>The benchmarks' PostgreSQL: the tests' throwaway server with room for a thousand monitors' connections.</summary>
public static class BenchPostgresSettings
{
    public const string ServerOptions = "-c max_connections=1000 -c shared_buffers=256MB";
}

/// <summary>The machine's CPU counters (/proc/stat), to tell a CPU-bound run from one that waits.</summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the only idle columns.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum();
        return new MachineCpu(total - fields[3] - fields[4], total);
    }

    /// <summary>The share of all cores' time that was busy between <paramref name="earlier"/> and this reading.</summary>
    public double BusySince(MachineCpu earlier) => Total == earlier.Total ? 0 : (double)(Busy - earlier.Busy) / (Total - earlier.Total);
}

/// <summary>
/// CPU time of the machine's PostgreSQL processes (/proc/*/stat), to tell the service's share of a run from the
/// database's, including backends that exited during the run (their time stays with the postmaster that reaped them).
/// </summary>
public static class PostgresCpu
{
    public static TimeSpan Read()
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // "pid (comm) state ppid ..."; utime, stime, cutime and cstime are fields 14 to 17, counted after the ")".
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1).StartsWith("postgres"))
                {
                    continue;
                }
                var fields = stat[(close + 2)..].Split(' ');
                // utime and stime, plus cutime and cstime: the postmaster's children that ended (backends whose
                // connection closed) leave their time there, so the sum never falls when a backend exits.
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while it was read.
            }
        }
        // Linux reports these in clock ticks of 1/100 s (USER_HZ).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
