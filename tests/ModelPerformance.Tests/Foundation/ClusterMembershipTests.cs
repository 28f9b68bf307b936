using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Foundation;

[Collection(PostgresCollection.Name)]
public sealed class ClusterMembershipTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_silos_form_one_cluster_and_are_both_active_in_the_membership_table()
    {
        var connectionString = await postgres.CreateDatabaseAsync("membership");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);

        var rows = await Eventually.MatchAsync(
            () => OrleansTables.MembershipAsync(connectionString, cluster.Options.ClusterId),
            rows => rows.Count == 2 && rows.All(r => r.Status == MembershipRow.Active),
            TimeSpan.FromSeconds(30), "two ACTIVE rows in OrleansMembershipTable");
        Assert.All(cluster.Silos, silo => Assert.Single(rows, r => r.Is(silo.SiloAddress)));

        // The providers read the table back too: each silo sees both as active hosts.
        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(cluster.Silos.Select(s => s.SiloAddress).Order(), hosts.Keys.Order());
    }
}
