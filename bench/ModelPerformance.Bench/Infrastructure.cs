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
    public static async Task<BenchService> StartAsync(string? postgres, Action<WebApplication>? configure = null, string clusterId = "bench")
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
        };
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
