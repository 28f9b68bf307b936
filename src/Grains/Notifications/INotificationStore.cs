namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// Channels, silences and the outbox of deliveries (PostgreSQL for a cluster member, memory for a lone silo). The alert store writes an
/// alert's deliveries together with the alert (see <see cref="NotificationOutbox"/>); dispatchers on every silo claim them from here.
/// </summary>
public interface INotificationStore
{
    Task CreateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default);

    /// <summary>Replaces the channel with this id; null when there is none.</summary>
    Task<NotificationChannel?> UpdateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default);

    /// <summary>Deletes the channel; its deliveries still pending are FAILED. False when there was none.</summary>
    Task<bool> DeleteChannelAsync(Guid id, DateTime now, CancellationToken cancellationToken = default);

    Task<NotificationChannel?> GetChannelAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Every channel, oldest first.</summary>
    Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken = default);

    Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken = default);

    /// <summary>Ends the silence at <paramref name="now"/> unless it ended already; null when there is none.</summary>
    Task<Silence?> ExpireSilenceAsync(Guid id, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Silences, newest first; with <paramref name="active"/>, only those that are (or are not) active at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Silence>> SilencesAsync(bool? active, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Deliveries, newest first.</summary>
    Task<IReadOnlyList<NotificationDelivery>> DeliveriesAsync(DeliveryFilter filter, int first, CancellationToken cancellationToken = default);

    Task<NotificationDelivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a delivery already claimed by the caller until <paramref name="leaseUntil"/> (a TEST, sent at once) and returns what sending it needs;
    /// null when the channel does not exist.
    /// </summary>
    Task<DeliveryWork?> AddClaimedAsync(NotificationDelivery delivery, DateTime leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims PENDING deliveries due at <paramref name="now"/> and not held by another claim, until <paramref name="leaseUntil"/>, as many
    /// as <paramref name="room"/> allows: oldest first, and only the oldest pending event of an alert for a channel, so each channel hears an
    /// alert's events in order.
    /// </summary>
    Task<IReadOnlyList<DeliveryWork>> ClaimAsync(DateTime now, DateTime leaseUntil, ClaimRoom room, CancellationToken cancellationToken = default);

    /// <summary>Records attempts and releases their claims.</summary>
    Task RecordAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the REPEAT deliveries due at <paramref name="now"/> (<see cref="NotificationOutbox.DueRepeats"/>) and returns how many; on a
    /// cluster one silo at a time does this, so no reminder is added twice.
    /// </summary>
    Task<int> AddDueRepeatsAsync(DateTime now, TimeSpan minute, CancellationToken cancellationToken = default);
}
