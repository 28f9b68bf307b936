using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ModelPerformance.Testing;

/// <summary>
/// A throwaway PostgreSQL server, started from the machine's own binaries on a free port in a temporary
/// folder and removed afterwards; or, when <see cref="ExternalServerVariable"/> is set, the server it names.
/// Callers ask it for fresh databases so that they never see each other's data. The tests and the
/// benchmarks both compile this file.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string ExternalServerVariable = "MODELPERF_TEST_POSTGRES";

    public const string MissingBinariesMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, through pg_config or in /usr/lib/postgresql/*/bin. " +
        "Install them (Debian/Ubuntu: apt-get install -y postgresql) or set " + ExternalServerVariable +
        " to the connection string of a server on which the tests may create databases.";

    private string? _folder;
    private string? _dataDirectory;
    private string? _serverOptions;
    private string? _binDirectory;
    private string? _adminConnectionString;

    /// <summary>Connection string of the server's maintenance database, used to create the test databases.</summary>
    public string AdminConnectionString => _adminConnectionString ?? throw new InvalidOperationException("The server has not started.");

    /// <param name="serverOptions">More <c>-c name=value</c> settings, e.g. a larger max_connections for a benchmark.</param>
    public static async Task<ThrowawayPostgres> StartAsync(string serverOptions = "")
    {
        var server = new ThrowawayPostgres();
        await server.InitializeAsync(serverOptions);
        return server;
    }

    private async Task InitializeAsync(string extraOptions)
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return;
        }

        _binDirectory = await FindBinDirectoryAsync() ?? throw new InvalidOperationException(MissingBinariesMessage);
        _folder = Directory.CreateTempSubdirectory("modelperf-pg-").FullName;
        _dataDirectory = Path.Combine(_folder, "data");
        if (IsRoot)
        {
            // initdb refuses to run as root: the server runs as the postgres user, in a folder it owns.
            await RunAsync("chown", ["postgres", _folder]);
        }

        await RunServerToolAsync("initdb", ["-D", _dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var port = FreeTcpPort();
        // Durability settings are off: the data dies with the test run anyway, and this keeps the run fast.
        var serverOptions = $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300 " +
                            $"-c fsync=off -c synchronous_commit=off -c full_page_writes=off {extraOptions}";
        _serverOptions = serverOptions;
        await RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-l", Path.Combine(_folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
        _adminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}_{Guid.NewGuid():N}".ToLowerInvariant();
        name = name[..Math.Min(name.Length, 63)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server as an outage would (immediate shutdown: clients lose their connections at once).</summary>
    public async Task StopAsync()
    {
        await RunServerToolAsync("pg_ctl", ["-D", Required(_dataDirectory), "-m", "immediate", "-w", "stop"]);
    }

    /// <summary>Starts the stopped server again, on the same port.</summary>
    public async Task RestartAsync()
    {
        await RunServerToolAsync("pg_ctl", ["-D", Required(_dataDirectory), "-l", Path.Combine(Required(_folder), "server.log"), "-o", Required(_serverOptions), "-w", "-t", "60", "start"]);
    }

    private static string Required(string? value) => value ?? throw new InvalidOperationException("This server was not started here (an external server cannot be stopped).");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null || _folder is null)
        {
            return;
        }
        if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            await RunServerToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        Directory.Delete(_folder, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task<string?> FindBinDirectoryAsync()
    {
        static bool HasServerTools(string directory) =>
            File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var found = onPath.FirstOrDefault(HasServerTools);
        if (found is not null)
        {
            return found;
        }
        try
        {
            var bindir = (await RunAsync("pg_config", ["--bindir"])).Trim();
            if (HasServerTools(bindir))
            {
                return bindir;
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No pg_config either: fall through to Debian's versioned folders.
        }
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(HasServerTools).Order().LastOrDefault()
            : null;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
        return await output;
    }
}
