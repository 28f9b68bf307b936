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
    public static IObservable<object?> Of<TEvent>(IResolveFieldContext context, Func<TEvent, bool> filter, Func<TEvent, object> select)
        where TEvent : ServiceEvent =>
        new Filtered<TEvent>(context.RequestServices!.GetRequiredService<EventHub>(), filter, select);

    /// <summary>True when a filter argument was left out or matches.</summary>
    public static bool Matches(string? wanted, string actual) => wanted is null || wanted == actual;

    private sealed class Filtered<TEvent>(EventHub hub, Func<TEvent, bool> filter, Func<TEvent, object> select) : IObservable<object?>
        where TEvent : ServiceEvent
    {
        public IDisposable Subscribe(IObserver<object?> observer) => hub.Subscribe(new Observer(observer, filter, select));

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
