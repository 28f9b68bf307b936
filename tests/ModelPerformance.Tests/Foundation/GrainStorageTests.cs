using ModelPerformance.Tests.Foundation.TestGrains;
using ModelPerformance.Tests.Infrastructure;
using Orleans.TestingHost;

namespace ModelPerformance.Tests.Foundation;

[Collection(PostgresCollection.Name)]
public sealed class GrainStorageTests(PostgresServer postgres)
{
    [Fact]
    public async Task Persisted_state_survives_a_killed_silo_and_is_read_on_the_other()
    {
        var connectionString = await postgres.CreateDatabaseAsync("storage_kill");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);
        var counter = cluster.Client.GetGrain<ICounterGrain>("model-a/machine-1");
        await counter.Add(40);
        var before = await counter.Add(2);

        var victim = cluster.Silos.Single(s => s.SiloAddress.Equals(before.Silo));
        await cluster.KillSiloAsync(victim);
        await Eventually.MatchAsync(
            () => OrleansTables.MembershipAsync(connectionString, cluster.Options.ClusterId),
            rows => rows.Single(r => r.Is(victim.SiloAddress)).Status == MembershipRow.Dead,
            TimeSpan.FromSeconds(30), "the killed silo marked DEAD");

        var after = await Eventually.MatchAsync(counter.Get, _ => true, TimeSpan.FromSeconds(30), "the counter to answer");
        Assert.Equal(42, after.Value);
        Assert.True(after.RecordExists);
        Assert.NotEqual(victim.SiloAddress, after.Silo);
    }

    [Fact]
    public async Task Clearing_state_keeps_the_row_without_payload_and_later_writes_continue_its_version()
    {
        var connectionString = await postgres.CreateDatabaseAsync("storage_clear");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 1);
        const string key = "model-b/machine-2";
        var counter = cluster.Client.GetGrain<ICounterGrain>(key);
        await counter.Add(5);

        await counter.Clear();

        Assert.Equal([(2, false)], await OrleansTables.StorageRowsAsync(connectionString, cluster.Options.ServiceId, keyText: key));
        var cleared = await ReadAfterReactivationAsync(cluster, counter);
        Assert.Equal(0, cleared.Value);
        Assert.False(cleared.RecordExists);

        Assert.Equal(3, (await counter.Add(3)).Value);
        Assert.Equal([(3, true)], await OrleansTables.StorageRowsAsync(connectionString, cluster.Options.ServiceId, keyText: key));
    }

    [Fact]
    public async Task Clearing_state_with_DeleteStateOnClear_deletes_the_row_and_a_later_write_starts_it_again()
    {
        var connectionString = await postgres.CreateDatabaseAsync("storage_delete");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 1);
        const long key = 4711;
        var counter = cluster.Client.GetGrain<IDeleteOnClearCounterGrain>(key);
        await counter.Add(5);
        Assert.Equal([(1, true)], await OrleansTables.StorageRowsAsync(connectionString, cluster.Options.ServiceId, integerKey: key));

        await counter.Clear();

        Assert.Empty(await OrleansTables.StorageRowsAsync(connectionString, cluster.Options.ServiceId, integerKey: key));
        var cleared = await ReadAfterReactivationAsync(cluster, counter);
        Assert.Equal(0, cleared.Value);
        Assert.False(cleared.RecordExists);

        Assert.Equal(2, (await counter.Add(2)).Value);
        Assert.Equal([(1, true)], await OrleansTables.StorageRowsAsync(connectionString, cluster.Options.ServiceId, integerKey: key));
    }

    /// <summary>Reads the counter from a fresh activation, so the value comes from the database, not memory.</summary>
    private static async Task<CounterSnapshot> ReadAfterReactivationAsync(TestCluster cluster, ICounter counter)
    {
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        return await counter.Get();
    }
}
