using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelPerformance.Silo.Hosting;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Foundation;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time_and_leaves_the_same_schema()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("migrate_twice"));
        var migrator = new Migrator(dataSource);

        Assert.Equal(Migrator.Embedded.Select(m => m.Version), await migrator.MigrateAsync());
        var first = await DumpSchemaAsync(dataSource);
        Assert.Empty(await migrator.MigrateAsync());

        Assert.Equal(first, await DumpSchemaAsync(dataSource));
        Assert.Contains("orleansquery", first);
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_once_and_build_the_same_schema()
    {
        await using var reference = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("migrate_reference"));
        await new Migrator(reference).MigrateAsync();
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("migrate_concurrent"));

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new Migrator(dataSource).MigrateAsync())));

        Assert.Equal(Migrator.Embedded.Select(m => m.Version), applied.SelectMany(a => a).Order());
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM schema_version");
        Assert.Equal(Migrator.Embedded.Count, Convert.ToInt32(await count.ExecuteScalarAsync()));
        Assert.Equal(await DumpSchemaAsync(reference), await DumpSchemaAsync(dataSource));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_build_is_refused_by_the_migrator_and_the_silo()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrate_newer");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource).MigrateAsync();
        var future = Migrator.LatestVersion + 1;
        await using (var insert = dataSource.CreateCommand($"INSERT INTO schema_version (version, name) VALUES ({future}, 'from_a_newer_build')"))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var expected = new SchemaTooNewException(future, Migrator.LatestVersion).Message;

        var fromMigrator = await Assert.ThrowsAsync<SchemaTooNewException>(() => new Migrator(dataSource).MigrateAsync());
        Assert.Equal(expected, fromMigrator.Message);
        Assert.Contains($"version {future}, newer than this build knows ({Migrator.LatestVersion})", expected);

        await using var app = ServiceHost.Build([], new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Orleans:SiloPort"] = FreeTcpPort().ToString(),
            ["Orleans:GatewayPort"] = FreeTcpPort().ToString(),
            ["Orleans:ClusterId"] = "migrate-newer",
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Auth:AllowAnonymous"] = "true",
        });
        var fromSilo = await Assert.ThrowsAsync<SchemaTooNewException>(() => app.StartAsync());
        Assert.Equal(expected, fromSilo.Message);
    }

    /// <summary>
    /// Columns, constraints, indexes, views, functions and the provider queries of the public schema,
    /// as sorted text, so that two databases can be compared.
    /// </summary>
    private static async Task<string> DumpSchemaAsync(NpgsqlDataSource dataSource)
    {
        string[] queries =
        [
            """
            SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            """,
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            """,
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
            "SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = 'public'",
            """
            SELECT proname, pg_get_function_identity_arguments(oid), pg_get_function_result(oid), md5(prosrc)
            FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            """,
            "SELECT QueryKey, md5(QueryText) FROM OrleansQuery",
        ];
        var lines = new List<string>();
        foreach (var query in queries)
        {
            await using var command = dataSource.CreateCommand(query);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var fields = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    fields.Append(reader.GetValue(i)).Append(" | ");
                }
                lines.Add(fields.ToString());
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
