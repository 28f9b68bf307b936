namespace ModelPerformance.Grains.Events;

/// <summary>A lone silo: its own hub is the only one there is.</summary>
public sealed class InMemoryEventPublisher(EventHub hub) : IEventPublisher
{
    public Task PublishAsync(ServiceEvent serviceEvent)
    {
        hub.Publish(serviceEvent);
        return Task.CompletedTask;
    }
}
