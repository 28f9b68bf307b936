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

/// <summary>A throwaway PostgreSQL from the machine's binaries (same approach as the tests' PostgresServer).</summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private string? folder;
    private string? dataDirectory;
    private string? binDirectory;

    public string AdminConnectionString { get; private set; } = "";

    public static async Task<BenchPostgres> StartAsync()
    {
        var server = new BenchPostgres();
        await server.InitializeAsync();
        return server;
    }

    private async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("MODELPERF_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = external;
            return;
        }
        binDirectory = FindBinDirectory() ?? throw new InvalidOperationException("initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin");
        folder = Directory.CreateTempSubdirectory("modelperf-bench-pg-").FullName;
        dataDirectory = Path.Combine(folder, "data");
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", folder]);
        }
        await RunServerToolAsync("initdb", ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var port = BenchService.FreePort();
        // Same settings as the tests' throwaway server: durability off (fsync, synchronous_commit, full_page_writes).
        var serverOptions = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=1000 " +
                            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB";
        await RunServerToolAsync("pg_ctl", ["-D", dataDirectory, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
        AdminConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres" }.ConnectionString;
    }

    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (dataDirectory is null || folder is null)
        {
            return;
        }
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await RunServerToolAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        Directory.Delete(folder, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(binDirectory!, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static string? FindBinDirectory()
    {
        static bool HasServerTools(string directory) =>
            File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return onPath.FirstOrDefault(HasServerTools)
            ?? (Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(HasServerTools).Order().LastOrDefault()
                : null);
    }

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
        return await output;
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
