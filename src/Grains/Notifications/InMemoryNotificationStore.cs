using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Notifications;

/// <summary>The channels, silences and outbox of a lone silo without a database: the same behaviour as PostgreSQL, kept in memory.</summary>
/// <param name="alerts">The alert store, for the open alerts a reminder sweep looks at (it writes its deliveries here, so it is asked lazily).</param>
public sealed class InMemoryNotificationStore(DeliverySignal signal, TimeProvider clock, Func<IAlertStore> alerts) : INotificationStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, NotificationChannel> channels = [];
    private readonly Dictionary<Guid, Silence> silences = [];

    /// <summary>Deliveries in the order they were added, which is the order each channel hears an alert's events.</summary>
    private readonly List<Entry> deliveries = [];

    private sealed class Entry(NotificationDelivery delivery)
    {
        public NotificationDelivery Delivery { get; set; } = delivery;

        public DateTime? LeaseUntil { get; set; }
    }

    /// <summary>
    /// Saves an alert (<paramref name="save"/>, the in-memory alert store's write) and adds the deliveries its event makes, as one step
    /// that no reminder sweep comes between.
    /// </summary>
    public void Save(Alert alert, NotificationEvent? notification, Action save)
    {
        lock (gate)
        {
            save();
            if (notification is { } happened)
            {
                Append(NotificationOutbox.Plan(alert, happened, channels.Values, silences.Values, clock.GetUtcNow().UtcDateTime));
            }
        }
    }

    public Task CreateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            channels.Add(channel.Id, channel);
        }
        return Task.CompletedTask;
    }

    public Task<NotificationChannel?> UpdateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!channels.TryGetValue(channel.Id, out var existing))
            {
                return Task.FromResult<NotificationChannel?>(null);
            }
            var updated = channel with { CreatedAt = existing.CreatedAt };
            channels[channel.Id] = updated;
            return Task.FromResult<NotificationChannel?>(updated);
        }
    }

    public Task<bool> DeleteChannelAsync(Guid id, DateTime now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!channels.Remove(id))
            {
                return Task.FromResult(false);
            }
            foreach (var entry in deliveries.Where(e => e.Delivery.ChannelId == id && e.Delivery.Status == DeliveryStatus.Pending))
            {
                entry.Delivery = entry.Delivery with { Status = DeliveryStatus.Failed, Error = NotificationStoreText.ChannelDeleted };
            }
            return Task.FromResult(true);
        }
    }

    public Task<NotificationChannel?> GetChannelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(channels.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<NotificationChannel>>(channels.Values.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToList());
        }
    }

    public Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            silences.Add(silence.Id, silence);
        }
        return Task.CompletedTask;
    }

    public Task<Silence?> ExpireSilenceAsync(Guid id, DateTime now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!silences.TryGetValue(id, out var silence))
            {
                return Task.FromResult<Silence?>(null);
            }
            var expired = silence.EndsAt > now ? silence with { EndsAt = now } : silence;
            silences[id] = expired;
            return Task.FromResult<Silence?>(expired);
        }
    }

    public Task<IReadOnlyList<Silence>> SilencesAsync(bool? active, DateTime now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<Silence>>(silences.Values.Where(s => active is null || s.IsActive(now) == active)
                .OrderByDescending(s => s.StartsAt).ThenByDescending(s => s.Id).ToList());
        }
    }

    public Task<IReadOnlyList<NotificationDelivery>> DeliveriesAsync(DeliveryFilter filter, int first, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<NotificationDelivery> found = Enumerable.Reverse(deliveries).Select(e => e.Delivery)
                .Where(d => (filter.AlertId is null || d.AlertId == filter.AlertId) && (filter.ChannelId is null || d.ChannelId == filter.ChannelId)
                            && (filter.Status is null || d.Status == filter.Status))
                .Take(first).ToList();
            return Task.FromResult(found);
        }
    }

    public Task<NotificationDelivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(deliveries.FirstOrDefault(e => e.Delivery.Id == id)?.Delivery);
        }
    }

    public Task<DeliveryWork?> AddClaimedAsync(NotificationDelivery delivery, DateTime leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!channels.TryGetValue(delivery.ChannelId, out var channel))
            {
                return Task.FromResult<DeliveryWork?>(null);
            }
            deliveries.Add(new Entry(delivery) { LeaseUntil = leaseUntil });
            return Task.FromResult<DeliveryWork?>(new DeliveryWork(delivery, channel.Kind, channel.Url, channel.Secret, channel.Name));
        }
    }

    public Task<IReadOnlyList<DeliveryWork>> ClaimAsync(DateTime now, DateTime leaseUntil, ClaimRoom room, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var earlierPending = new HashSet<(Guid?, Guid)>();
            var candidates = new List<Entry>();
            foreach (var entry in deliveries.Where(e => e.Delivery.Status == DeliveryStatus.Pending))
            {
                var d = entry.Delivery;
                // Only an alert's oldest pending event may go to a channel; TEST events have no alert and no order.
                var oldest = d.AlertId is null || earlierPending.Add((d.AlertId, d.ChannelId));
                if (oldest && d.NextAttemptAt <= now && (entry.LeaseUntil is null || entry.LeaseUntil < now) && channels.ContainsKey(d.ChannelId))
                {
                    candidates.Add(entry);
                }
            }
            var claimed = room.Choose(candidates, e => e.Delivery.ChannelId);
            foreach (var entry in claimed)
            {
                entry.LeaseUntil = leaseUntil;
            }
            return Task.FromResult<IReadOnlyList<DeliveryWork>>(claimed.Select(e =>
            {
                var channel = channels[e.Delivery.ChannelId];
                return new DeliveryWork(e.Delivery, channel.Kind, channel.Url, channel.Secret, channel.Name);
            }).ToList());
        }
    }

    public Task RecordAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var byId = attempts.ToDictionary(a => a.DeliveryId);
            foreach (var entry in deliveries)
            {
                if (byId.TryGetValue(entry.Delivery.Id, out var attempt) && entry.Delivery.Status == DeliveryStatus.Pending)
                {
                    entry.Delivery = entry.Delivery.After(attempt);
                    entry.LeaseUntil = null;
                }
            }
        }
        return Task.CompletedTask;
    }

    public async Task<int> AddDueRepeatsAsync(DateTime now, TimeSpan minute, CancellationToken cancellationToken = default)
    {
        var open = await alerts().QueryAsync(new AlertFilter(Status: AlertStatus.Open), int.MaxValue, cancellationToken);
        lock (gate)
        {
            var lastEvent = deliveries.Where(e => e.Delivery.AlertId is not null)
                .GroupBy(e => (e.Delivery.AlertId!.Value, e.Delivery.ChannelId))
                .ToDictionary(g => g.Key, g => g.Max(e => e.Delivery.CreatedAt));
            // An alert resolved since it was read gets no reminder.
            var due = NotificationOutbox.DueRepeats(channels.Values, open, lastEvent, now, minute)
                .Where(p => alerts().GetAsync(p.Alert.Id, cancellationToken).Result?.Status == AlertStatus.Open).ToList();
            Append(due.SelectMany(p => NotificationOutbox.Plan(p.Alert, NotificationEvent.Repeat, [p.Channel], silences.Values, now)).ToList());
            return due.Count;
        }
    }

    private void Append(IReadOnlyList<NotificationDelivery> planned)
    {
        deliveries.AddRange(planned.Select(d => new Entry(d)));
        if (planned.Any(d => d.Status == DeliveryStatus.Pending))
        {
            signal.Wake();
        }
    }
}
