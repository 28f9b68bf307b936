using System.Text;
using ModelPerformance.Grains.Events;

namespace ModelPerformance.Tests.Subscriptions;

public sealed class EventNotificationsTests
{
    [Fact]
    public void Every_kind_of_event_survives_its_notification()
    {
        ServiceEvent[] events =
        [
            new EvaluationRecorded(Events.Evaluation("m", "c")),
            new AlertRaised(Events.Alert("m", "c")),
            new AlertChanged(Events.Alert("m", "c", status: Grains.Interfaces.AlertStatus.Resolved)),
            new TrainingJobUpdated(Events.Job("m", "c")),
            new AbTestUpdated(Events.Test("m", "c")),
        ];
        var assembler = new EventNotifications.Assembler();

        var received = events.Select(e => assembler.Accept(Assert.Single(EventNotifications.Encode(e)))).ToList();

        Assert.Equal(events, received);
    }

    [Fact]
    public void An_event_larger_than_a_notification_is_split_within_the_limit_and_put_back_together()
    {
        // Non-ASCII and surrogate pairs make characters and bytes differ.
        var details = "{\"features\":\"" + string.Concat(Enumerable.Repeat("Température 🌡 ", 3_000)) + "\"}";
        var large = new AlertRaised(Events.Alert("m", "c", details: details));
        var small = new EvaluationRecorded(Events.Evaluation("m", "c"));
        var assembler = new EventNotifications.Assembler();

        var largePieces = EventNotifications.Encode(large);
        var smallPieces = EventNotifications.Encode(small);
        var received = new List<ServiceEvent>();
        foreach (var payload in largePieces.Take(2).Concat(smallPieces).Concat(largePieces.Skip(2)))
        {
            if (assembler.Accept(payload) is { } e)
            {
                received.Add(e);
            }
        }

        Assert.True(largePieces.Count > 2);
        Assert.All(largePieces, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"a piece has {Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.Equal([small, large], received);
    }

    [Fact]
    public void Two_equal_events_make_different_notifications()
    {
        var e = new EvaluationRecorded(Events.Evaluation("m", "c"));

        Assert.NotEqual(EventNotifications.Encode(e), EventNotifications.Encode(e));
    }

    [Fact]
    public void A_payload_that_is_not_an_event_is_refused()
    {
        Assert.Throws<FormatException>(() => new EventNotifications.Assembler().Accept("hello"));
    }
}
