using ModelPerformance.Grains.Events;
using ModelPerformance.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>
/// One in-memory service for the WebSocket tests, with a short connection_init timeout (so the timeout test
/// is quick), a small send queue (so a client that does not read overflows it soon) and a short evaluation
/// lease (so a test can outlive one and see it renewed).
/// </summary>
public sealed class SubscriptionServiceFixture : IAsyncLifetime
{
    public const int SendQueueCapacity = 32;

    public static readonly TimeSpan EvaluationLease = TimeSpan.FromSeconds(3);

    public RunningService Service { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public EventHub Hub => Service.Services.GetRequiredService<EventHub>();

    public async Task InitializeAsync()
    {
        Service = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            // Three seconds, as the default: on 2 busy cores a connection_init sent at once was seen to take over one.
            ["GraphQL:WebSocket:ConnectionInitWaitTimeout"] = "00:00:03",
            ["GraphQL:WebSocket:SendQueueCapacity"] = SendQueueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GraphQL:Subscriptions:EvaluationLease"] = EvaluationLease.ToString(),
        });
        Http = new HttpClient { BaseAddress = Service.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SubscriptionServiceCollection : ICollectionFixture<SubscriptionServiceFixture>
{
    public const string Name = "subscription service";
}
