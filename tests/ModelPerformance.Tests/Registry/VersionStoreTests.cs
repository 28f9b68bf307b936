using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Registry;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Registry;

/// <summary>What every version store does; the PostgreSQL and in-memory stores run the same facts.</summary>
public abstract class VersionStoreContract
{
    private static readonly DateTime T0 = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    protected abstract IVersionStore Store { get; }

    private static MonitorKey NewKey() => new("model-" + Guid.NewGuid().ToString("N")[..8], "press-1");

    private static ModelVersionInfo Version(MonitorKey key, string name, int minutes, bool champion = false) =>
        new(key.ModelId, key.MachineId, name, T0.AddMinutes(minutes), null, null, champion, null, champion ? T0.AddMinutes(minutes) : null);

    [Fact]
    public async Task A_version_reads_back_with_every_field()
    {
        var key = NewKey();
        var version = Version(key, "v1", 0) with
        {
            TrainingJobId = Guid.NewGuid(),
            Metrics = new MetricSet(RSquared: 0.9, Rmse: 1.5, Mae: 1.2),
            ArtifactJson = """{"kind": "linear", "intercept": 1.5, "coefficients": {"load": 0.25}}""",
            IsChampion = true,
            PromotedAt = T0.AddMinutes(5),
        };

        Assert.True(await Store.AddAsync(version));
        var read = Assert.Single(await Store.ListAsync(key));

        Assert.Equal(version with { ArtifactJson = null }, read with { ArtifactJson = null });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(version.ArtifactJson!), JsonNode.Parse(read.ArtifactJson!)));
        Assert.Equal(DateTimeKind.Utc, read.CreatedAt.Kind);
    }

    [Fact]
    public async Task An_existing_name_is_not_added_again_and_the_first_stays()
    {
        var key = NewKey();
        await Store.AddAsync(Version(key, "v1", 0) with { ArtifactJson = """{"a": 1}""" });

        Assert.False(await Store.AddAsync(Version(key, "v1", 9)));
        var read = Assert.Single(await Store.ListAsync(key));
        Assert.Equal(T0, read.CreatedAt);
        Assert.NotNull(read.ArtifactJson);
    }

    [Fact]
    public async Task Versions_list_oldest_first_and_only_the_monitors_own()
    {
        var key = NewKey();
        await Store.AddAsync(Version(key, "v2", 10));
        await Store.AddAsync(Version(key, "v1", 0));
        await Store.AddAsync(Version(NewKey(), "other", 5));

        Assert.Equal(["v1", "v2"], (await Store.ListAsync(key)).Select(v => v.Version));
    }

    [Fact]
    public async Task A_promotion_leaves_one_champion_and_keeps_the_former_ones_promotion_time()
    {
        var key = NewKey();
        await Store.AddAsync(Version(key, "v1", 0, champion: true));
        await Store.AddAsync(Version(key, "v2", 10));

        Assert.True(await Store.PromoteAsync(key, "v2", T0.AddHours(1)));
        Assert.False(await Store.PromoteAsync(key, "v9", T0.AddHours(2)));
        var versions = await Store.ListAsync(key);

        Assert.Equal([false, true], versions.Select(v => v.IsChampion));
        Assert.Equal(T0, versions[0].PromotedAt);
        Assert.Equal(T0.AddHours(1), versions[1].PromotedAt);
    }
}

public sealed class InMemoryVersionStoreTests : VersionStoreContract
{
    protected override IVersionStore Store { get; } = new InMemoryVersionStore();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresVersionStoreTests(PostgresServer postgres) : VersionStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    protected override IVersionStore Store => new PostgresVersionStore(dataSource!);

    public async Task InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("versions"));
        await new Migrator(dataSource).MigrateAsync();
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task The_database_refuses_a_second_champion()
    {
        var key = new MonitorKey("two-champions", "press-1");
        await Store.AddAsync(new ModelVersionInfo(key.ModelId, key.MachineId, "v1", DateTime.UtcNow, null, null, true, null));

        await Assert.ThrowsAsync<PostgresException>(() =>
            Store.AddAsync(new ModelVersionInfo(key.ModelId, key.MachineId, "v2", DateTime.UtcNow, null, null, true, null)));
    }
}
