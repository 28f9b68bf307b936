using System.Text;
using ModelPerformance.Grains.Events;

namespace ModelPerformance.Tests.Subscriptions;

public sealed class EventNotificationsTests
{
    private static List<ServiceEvent> Receive(EventNotifications.Assembler assembler, IEnumerable<string> payloads) =>
        payloads.Select(assembler.Accept).OfType<string>().SelectMany(EventNotifications.Decode).ToList();

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

        var payloads = EventNotifications.Encode(events);

        Assert.Single(payloads);
        Assert.Equal(events, Receive(new EventNotifications.Assembler(), payloads));
    }

    [Fact]
    public void Many_small_events_are_packed_into_few_notifications_within_the_limit_and_keep_their_order()
    {
        var events = Enumerable.Range(0, 1_000).Select(i => (ServiceEvent)new EvaluationRecorded(Events.Evaluation($"m{i}", "c"))).ToList();

        var payloads = EventNotifications.Encode(events);

        Assert.InRange(payloads.Count, 2, 100);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"a notification has {Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.Equal(events, Receive(new EventNotifications.Assembler(), payloads));
    }

    [Fact]
    public void An_event_larger_than_a_notification_is_split_within_the_limit_and_put_back_together()
    {
        // Non-ASCII and surrogate pairs make characters and bytes differ.
        var details = "{\"features\":\"" + string.Concat(Enumerable.Repeat("Température 🌡 ", 3_000)) + "\"}";
        var large = new AlertRaised(Events.Alert("m", "c", details: details));
        var small = new EvaluationRecorded(Events.Evaluation("m", "c"));

        var largePieces = EventNotifications.Encode([large]);
        var smallPieces = EventNotifications.Encode([small]);
        var received = Receive(new EventNotifications.Assembler(), largePieces.Take(2).Concat(smallPieces).Concat(largePieces.Skip(2)));

        Assert.True(largePieces.Count > 2);
        Assert.All(largePieces, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8_000, $"a piece has {Encoding.UTF8.GetByteCount(p)} bytes"));
        Assert.Equal([small, large], received);
    }

    [Fact]
    public void A_large_event_between_small_ones_keeps_its_place()
    {
        var details = "{\"features\":\"" + new string('x', 20_000) + "\"}";
        ServiceEvent[] events =
        [
            new EvaluationRecorded(Events.Evaluation("a", "c")),
            new AlertRaised(Events.Alert("m", "c", details: details)),
            new EvaluationRecorded(Events.Evaluation("b", "c")),
        ];

        Assert.Equal(events, Receive(new EventNotifications.Assembler(), EventNotifications.Encode(events)));
    }

    [Fact]
    public void Two_equal_events_make_different_notifications()
    {
        ServiceEvent[] e = [new EvaluationRecorded(Events.Evaluation("m", "c"))];

        Assert.NotEqual(EventNotifications.Encode(e), EventNotifications.Encode(e));
    }

    [Fact]
    public void A_payload_that_is_not_an_event_is_refused()
    {
        Assert.Throws<FormatException>(() => new EventNotifications.Assembler().Accept("hello"));
    }
}
