using ModelPerformance.Tests.Foundation.TestGrains;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Foundation;

[Collection(PostgresCollection.Name)]
public sealed class ReminderTests(PostgresServer postgres)
{
    [Fact]
    public async Task Reminders_keep_firing_after_the_silo_that_held_them_is_killed()
    {
        var connectionString = await postgres.CreateDatabaseAsync("reminders");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, silos: 2);
        // Which silo runs a reminder depends on where its grain hashes on the ring, which no public API
        // tells; with eight grains the killed silo holds some of them but for a 1-in-256 chance.
        var probes = Enumerable.Range(0, 8).Select(i => cluster.Client.GetGrain<IReminderProbeGrain>($"model-{i}/machine-{i}")).ToList();
        await Task.WhenAll(probes.Select(p => p.Start(TimeSpan.FromSeconds(1))));
        await Eventually.MatchAsync(TicksAsync, ticks => ticks.All(t => t >= 2), TimeSpan.FromSeconds(20), "two ticks of every reminder");

        var victim = cluster.Silos[1];
        await cluster.KillSiloAsync(victim);
        await Eventually.MatchAsync(
            () => OrleansTables.MembershipAsync(connectionString, cluster.Options.ClusterId),
            rows => rows.Single(r => r.Is(victim.SiloAddress)).Status == MembershipRow.Dead,
            TimeSpan.FromSeconds(30), "the killed silo marked DEAD");
        var afterDeath = await Eventually.MatchAsync(TicksAsync, _ => true, TimeSpan.FromSeconds(20), "the probes to answer");

        await Eventually.MatchAsync(
            TicksAsync, ticks => ticks.Zip(afterDeath).All(t => t.First >= t.Second + 3),
            TimeSpan.FromSeconds(20), "three more ticks of every reminder on the surviving silo");

        async Task<int[]> TicksAsync() => await Task.WhenAll(probes.Select(p => p.Ticks()));
    }
}
