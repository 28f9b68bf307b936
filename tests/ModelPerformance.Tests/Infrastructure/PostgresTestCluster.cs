using Microsoft.Extensions.Configuration;
using ModelPerformance.Silo.Hosting;
using ModelPerformance.Silo.Persistence;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>
/// TestingHost clusters on PostgreSQL: the migrated schema, the service's own provider wiring
/// (<see cref="SiloHostingExtensions.AddPostgresProviders"/>) and ADO.NET membership instead of the test
/// membership, with failure detection tuned so that a killed silo is declared dead within seconds.
/// </summary>
public static class PostgresTestCluster
{
    public const string ConnectionStringKey = "ConnectionStrings:Postgres";

    /// <summary>A second storage provider that deletes the row on ClearStateAsync (the DeleteStorageKey query).</summary>
    public const string DeleteOnClearStorage = "DeleteOnClear";

    public static async Task<TestCluster> StartAsync(string connectionString, short silos)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource).MigrateAsync();
        }
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionStringKey] ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured.");

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = ConnectionString(siloBuilder.Configuration);
            siloBuilder.AddPostgresProviders(connectionString);
            siloBuilder.AddAdoNetGrainStorage(DeleteOnClearStorage, o =>
            {
                o.Invariant = SiloHostingExtensions.PostgresInvariant;
                o.ConnectionString = connectionString;
                o.DeleteStateOnClear = true;
            });
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
            // The one-minute default minimum would make the reminder test take minutes.
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloHostingExtensions.PostgresInvariant;
                o.ConnectionString = ConnectionString(configuration);
            });
    }
}
