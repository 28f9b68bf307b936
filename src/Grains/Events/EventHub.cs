using Microsoft.Extensions.Logging;

namespace ModelPerformance.Grains.Events;

/// <summary>
/// This silo's fan-out of events to its local subscribers (the GraphQL subscriptions). Deliveries are
/// serialized, so each subscriber sees events one at a time and in the order the hub got them; in return a
/// subscriber must not block in <see cref="IObserver{T}.OnNext"/>: it filters and queues, nothing more. A
/// subscriber that throws is logged and keeps its place; it cannot hurt the others.
/// </summary>
public sealed class EventHub(ILogger<EventHub> logger) : IObservable<ServiceEvent>
{
    private readonly Lock gate = new();
    private IObserver<ServiceEvent>[] observers = [];

    /// <summary>Subscribers right now; for diagnostics and tests.</summary>
    public int SubscriberCount => Volatile.Read(ref observers).Length;

    public IDisposable Subscribe(IObserver<ServiceEvent> observer)
    {
        lock (gate)
        {
            observers = [.. observers, observer];
        }
        return new Subscription(this, observer);
    }

    public void Publish(ServiceEvent serviceEvent)
    {
        lock (gate)
        {
            foreach (var observer in observers)
            {
                try
                {
                    observer.OnNext(serviceEvent);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "A subscriber failed on {Event}", serviceEvent.GetType().Name);
                }
            }
        }
    }

    private void Unsubscribe(IObserver<ServiceEvent> observer)
    {
        lock (gate)
        {
            observers = [.. observers.Where(o => !ReferenceEquals(o, observer))];
        }
    }

    private sealed class Subscription(EventHub hub, IObserver<ServiceEvent> observer) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                hub.Unsubscribe(observer);
            }
        }
    }
}
