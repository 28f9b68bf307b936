using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Events;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// The source streams of the subscription fields: this silo's <see cref="EventHub"/>, narrowed to one kind
/// of event and the field's filter before GraphQL does any work, so an event costs the subscribers it does
/// not concern one predicate each.
/// </summary>
public static class EventStreams
{
    /// <param name="track">Called when a subscriber subscribes; what it returns is disposed with the subscription.</param>
    public static IObservable<object?> Of<TEvent>(IResolveFieldContext context, Func<TEvent, bool> filter, Func<TEvent, object> select, Func<IDisposable>? track = null)
        where TEvent : ServiceEvent =>
        new Filtered<TEvent>(context.RequestServices!.GetRequiredService<EventHub>(), filter, select, track);

    /// <summary>True when a filter argument was left out or matches.</summary>
    public static bool Matches(string? wanted, string actual) => wanted is null || wanted == actual;

    private sealed class Filtered<TEvent>(EventHub hub, Func<TEvent, bool> filter, Func<TEvent, object> select, Func<IDisposable>? track) : IObservable<object?>
        where TEvent : ServiceEvent
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            var subscription = hub.Subscribe(new Observer(observer, filter, select));
            return track is null ? subscription : new Both(subscription, track());
        }

        private sealed class Both(IDisposable first, IDisposable second) : IDisposable
        {
            public void Dispose()
            {
                first.Dispose();
                second.Dispose();
            }
        }

        private sealed class Observer(IObserver<object?> target, Func<TEvent, bool> filter, Func<TEvent, object> select) : IObserver<ServiceEvent>
        {
            public void OnNext(ServiceEvent value)
            {
                if (value is TEvent e && filter(e))
                {
                    target.OnNext(select(e));
                }
            }

            public void OnError(Exception error) => target.OnError(error);

            public void OnCompleted() => target.OnCompleted();
        }
    }
}
