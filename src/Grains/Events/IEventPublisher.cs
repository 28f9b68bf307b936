namespace ModelPerformance.Grains.Events;

/// <summary>
/// What grains raise events through, after the change the event tells of is committed. The event reaches
/// the subscribers of every silo once, in the order one publisher raised its events.
/// </summary>
public interface IEventPublisher
{
    /// <summary>
    /// Hands the event on. It returns as soon as the event is queued, so ingestion does not wait for
    /// delivery; it waits only while the publisher's queue is full, which slows callers down rather than
    /// dropping events.
    /// </summary>
    Task PublishAsync(ServiceEvent serviceEvent);
}
