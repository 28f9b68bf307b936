using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace ModelPerformance.Silo.Persistence;

/// <summary>A migration script from <c>sql/</c>, numbered by its file name's prefix.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>Thrown when the database holds migrations this build does not know: running on it could corrupt data.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int codeVersion)
    : Exception($"The database schema is at version {databaseVersion}, newer than this build knows ({codeVersion}). " +
                "Run a build of the service at least as new as the one that migrated the database.");

/// <summary>
/// Applies the numbered scripts of <c>sql/</c> in order, each in its own transaction, recording each in
/// <c>schema_version</c>. A session-level advisory lock makes silos that start together apply them once.
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator>? logger = null)
{
    /// <summary>Advisory lock key shared by every silo of every version ("modelprf" in ASCII).</summary>
    private const long AdvisoryLockKey = 0x6d6f64656c707266;

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public static int LatestVersion => Embedded.Count == 0 ? 0 : Embedded[^1].Version;

    /// <summary>Applies pending migrations and returns the versions applied by this call.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateToAsync(LatestVersion, cancellationToken);

    /// <summary>Applies the pending migrations up to and including version (an upgrade of a database at an older version).</summary>
    public async Task<IReadOnlyList<int>> MigrateToAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, AdvisoryLockKey);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var current = await CurrentVersionAsync(connection, cancellationToken);
            if (current > LatestVersion)
            {
                throw new SchemaTooNewException(current, LatestVersion);
            }

            var applied = new List<int>();
            foreach (var migration in Embedded.Where(m => m.Version > current && m.Version <= version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await script.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES (@v, @n)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger?.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
                applied.Add(migration.Version);
            }
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, AdvisoryLockKey);
        }
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, long? key = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (key is { } value)
        {
            command.Parameters.AddWithValue("key", value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }

    [GeneratedRegex(@"^sql/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
