using ModelPerformance.Testing;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>The test run's throwaway PostgreSQL (see <see cref="ThrowawayPostgres"/>), shared by the "postgres" collection.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private ThrowawayPostgres? server;

    private ThrowawayPostgres Server => server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Connection string of the server's maintenance database, used to create the test databases.</summary>
    public string AdminConnectionString => Server.AdminConnectionString;

    public async Task InitializeAsync() => server = await ThrowawayPostgres.StartAsync();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string? prefix = null) => Server.CreateDatabaseAsync(prefix);

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
