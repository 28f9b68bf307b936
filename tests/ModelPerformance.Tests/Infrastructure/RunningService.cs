using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Silo.Hosting;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>The whole service (silo, history, HTTP) started on free loopback ports, as <c>Program</c> starts it.</summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private RunningService(WebApplication app, Uri baseAddress, int siloPort)
    {
        this.app = app;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
    }

    public Uri BaseAddress { get; }

    public int SiloPort { get; }

    public IServiceProvider Services => app.Services;

    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="postgres">A connection string for a cluster member on PostgreSQL; null runs alone in memory.</param>
    /// <param name="settings">More configuration, e.g. shorter protocol timeouts.</param>
    /// <param name="httpPort">The HTTP port, for a service that comes back where clients knew it; a free one by default.</param>
    public static async Task<RunningService> StartAsync(string? postgres = null, string clusterId = "test", IReadOnlyDictionary<string, string?>? settings = null,
        int? httpPort = null)
    {
        httpPort ??= FreePort();
        var siloPort = FreePort();
        var overrides = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Orleans:SiloPort"] = siloPort.ToString(),
            ["Orleans:GatewayPort"] = FreePort().ToString(),
            ["Orleans:ClusterId"] = clusterId,
            ["ConnectionStrings:Postgres"] = postgres,
            ["Logging:LogLevel:Default"] = "Warning",
            // A cluster member refuses to start without authentication; tests that are not about it run open.
            ["Auth:AllowAnonymous"] = postgres is null ? null : "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }
        var app = ServiceHost.Build([], overrides);
        await app.StartAsync();
        return new RunningService(app, new Uri($"http://127.0.0.1:{httpPort}"), siloPort);
    }

    /// <summary>Deactivates every idle grain, so the next call activates it again from storage.</summary>
    public async Task DeactivateAllAsync()
    {
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }

    /// <summary>
    /// Stops the silo as a crash would: a cancelled stop skips Orleans' graceful shutdown, so the silo neither leaves
    /// the membership table nor deactivates its grains, and the others must declare it dead.
    /// </summary>
    public async Task KillAsync()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            await app.StopAsync(cancelled.Token);
        }
        catch (OperationCanceledException)
        {
            // Services that wait for their work on stop give up at once, as they would in a crash.
        }
    }

    /// <summary>Stops the service; a second call (a test that stopped it early, then its <c>await using</c>) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
