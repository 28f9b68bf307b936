using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// Which deliveries an alert's event makes (SEMANTICS.md, Notifications): one per enabled channel that matches it, SILENCED
/// when an active silence matches the alert, else PENDING; and which open alerts are due a reminder. Both stores use it, so
/// routing is decided in one place.
/// </summary>
public static class NotificationOutbox
{
    public static IReadOnlyList<NotificationDelivery> Plan(Alert alert, NotificationEvent notification, IEnumerable<NotificationChannel> channels,
        IEnumerable<Silence> silences, DateTime now)
    {
        var matching = channels.Where(c => c.Enabled && c.Matches(alert)).ToList();
        if (matching.Count == 0)
        {
            return [];
        }
        var status = silences.Any(s => s.Matches(alert, now)) ? DeliveryStatus.Silenced : DeliveryStatus.Pending;
        var json = AlertJson.Serialize(alert);
        return matching.Select(c => new NotificationDelivery(Guid.CreateVersion7(), c.Id, alert.Id, notification, status, 0, now, null, null, null, now, json))
            .ToList();
    }

    /// <summary>A TEST event for one channel, sent whatever its routing says.</summary>
    public static NotificationDelivery Test(NotificationChannel channel, DateTime now) =>
        new(Guid.CreateVersion7(), channel.Id, null, NotificationEvent.Test, DeliveryStatus.Pending, 0, now, null, null, null, now, null);

    /// <summary>
    /// The (alert, channel) pairs due a REPEAT: the alert is OPEN (not acknowledged), the channel is enabled, matches it and repeats, and
    /// its last event to that channel (or the alert's opening, when it had none) is at least the channel's interval ago.
    /// </summary>
    /// <param name="minute">How long a minute of <c>repeatIntervalMinutes</c> is (a minute, except in tests).</param>
    public static IReadOnlyList<(Alert Alert, NotificationChannel Channel)> DueRepeats(IEnumerable<NotificationChannel> channels, IEnumerable<Alert> alerts,
        IReadOnlyDictionary<(Guid AlertId, Guid ChannelId), DateTime> lastEvent, DateTime now, TimeSpan minute)
    {
        var repeating = channels.Where(c => c.Enabled && c.RepeatIntervalMinutes > 0).ToList();
        return alerts.Where(a => a.Status == AlertStatus.Open)
            .SelectMany(a => repeating.Where(c => c.Matches(a)).Select(c => (Alert: a, Channel: c)))
            .Where(p => now - lastEvent.GetValueOrDefault((p.Alert.Id, p.Channel.Id), p.Alert.CreatedAt) >= minute * p.Channel.RepeatIntervalMinutes)
            .ToList();
    }
}
