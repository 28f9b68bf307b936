using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Monitors;

/// <summary>One in-memory service shared by the monitor tests; each test uses its own monitor ids.</summary>
public sealed class InMemoryServiceFixture : IAsyncLifetime
{
    public RunningService Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await RunningService.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class InMemoryServiceCollection : ICollectionFixture<InMemoryServiceFixture>
{
    public const string Name = "in-memory service";
}
