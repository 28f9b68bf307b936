using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Alerts;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Notifications;

/// <summary>What every notification store does with the alert store that writes its outbox; PostgreSQL and memory run the same facts.</summary>
public abstract class NotificationStoreContract
{
    private static readonly ClaimRoom Plenty = new(64, 64, new Dictionary<Guid, int>());

    protected abstract NotificationStores Stores { get; }

    private INotificationStore Store => Stores.Notifications;

    private static DateTime Now => DateTime.UtcNow;

    public static NotificationChannel NewChannel(string name, Severity minSeverity = Severity.Warning, IReadOnlyList<AlertType>? types = null,
        IReadOnlyList<string>? machineIds = null, IReadOnlyList<string>? modelTypes = null, int repeatMinutes = 0, bool enabled = true,
        string url = "http://127.0.0.1:9/hook") =>
        new(Guid.CreateVersion7(), name, ChannelKind.Webhook, url, minSeverity, types, machineIds, modelTypes, repeatMinutes, null, enabled, DateTime.UtcNow);

    private static Alert NewAlert(string machineId = "press-1", AlertType type = AlertType.Degradation, Severity severity = Severity.Warning,
        string modelType = "energy") =>
        AlertStoreContract.NewAlert("outbox-" + Guid.NewGuid().ToString("N")[..12], machineId, type, severity, modelType: modelType) with { CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow };

    private async Task<NotificationChannel> AddChannelAsync(NotificationChannel channel)
    {
        await Store.CreateChannelAsync(channel);
        return channel;
    }

    private async Task<IReadOnlyList<NotificationDelivery>> DeliveriesOf(Alert alert) =>
        await Store.DeliveriesAsync(new DeliveryFilter(AlertId: alert.Id), 100);

    [Fact]
    public async Task An_alert_event_makes_one_pending_delivery_per_enabled_channel_that_matches_it()
    {
        var all = await AddChannelAsync(NewChannel("all"));
        var drift = await AddChannelAsync(NewChannel("drift", types: [AlertType.DataDrift]));
        var press2 = await AddChannelAsync(NewChannel("press-2", machineIds: ["press-2"]));
        var vision = await AddChannelAsync(NewChannel("vision", modelTypes: ["vision"]));
        var critical = await AddChannelAsync(NewChannel("critical", Severity.Critical));
        await AddChannelAsync(NewChannel("off", enabled: false));
        var warning = NewAlert();
        var everything = NewAlert("press-2", AlertType.DataDrift, Severity.Critical, "vision");
        var info = NewAlert(severity: Severity.Info);

        await Stores.Alerts.SaveAsync(warning, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(everything, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(info, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(warning with { Occurrences = 2 });

        var toWarning = await DeliveriesOf(warning);
        Assert.Equal([all.Id], toWarning.Select(d => d.ChannelId));
        Assert.Equal((NotificationEvent.Firing, DeliveryStatus.Pending, 0), (toWarning[0].Event, toWarning[0].Status, toWarning[0].Attempts));
        Assert.Equal(new[] { all.Id, drift.Id, press2.Id, vision.Id, critical.Id }.Order(), (await DeliveriesOf(everything)).Select(d => d.ChannelId).Order());
        Assert.Empty(await DeliveriesOf(info));
        Assert.NotNull(await Stores.Alerts.GetAsync(info.Id));
    }

    [Fact]
    public async Task An_alert_under_an_active_silence_is_recorded_SILENCED_and_never_claimed()
    {
        await AddChannelAsync(NewChannel("all"));
        await Store.CreateSilenceAsync(new Silence(Guid.CreateVersion7(), null, "press-1", null, AlertType.Degradation, Now.AddMinutes(-1), Now.AddHours(1), "tester", null));
        await Store.CreateSilenceAsync(new Silence(Guid.CreateVersion7(), null, "press-3", null, null, Now.AddHours(-2), Now.AddHours(-1), "tester", "over"));
        var silenced = NewAlert();
        var otherType = NewAlert(type: AlertType.NoData);
        var pastSilence = NewAlert("press-3");

        foreach (var alert in new[] { silenced, otherType, pastSilence })
        {
            await Stores.Alerts.SaveAsync(alert, NotificationEvent.Firing);
        }
        var claimed = await Store.ClaimAsync(Now, Now.AddSeconds(30), Plenty);

        Assert.Equal(DeliveryStatus.Silenced, Assert.Single(await DeliveriesOf(silenced)).Status);
        Assert.Equal(DeliveryStatus.Pending, Assert.Single(await DeliveriesOf(otherType)).Status);
        Assert.Equal(DeliveryStatus.Pending, Assert.Single(await DeliveriesOf(pastSilence)).Status);
        Assert.Equal(new[] { otherType.Id, pastSilence.Id }.Order(), claimed.Select(w => w.Delivery.AlertId!.Value).Order());
    }

    [Fact]
    public async Task A_channel_hears_an_alerts_events_in_order_and_a_claim_holds_a_delivery_until_its_lease_ends()
    {
        var channel = await AddChannelAsync(NewChannel("ordered"));
        var alert = NewAlert();
        await Stores.Alerts.SaveAsync(alert, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(alert with { Status = AlertStatus.Resolved, ResolvedAt = Now, ResolvedBy = "system" }, NotificationEvent.Resolved);
        var now = Now.AddSeconds(1);

        var first = Assert.Single(await Store.ClaimAsync(now, now.AddSeconds(30), Plenty));
        var whileHeld = await Store.ClaimAsync(now, now.AddSeconds(30), Plenty);
        var afterLease = Assert.Single(await Store.ClaimAsync(now.AddSeconds(31), now.AddSeconds(60), Plenty));
        await Store.RecordAsync([new DeliveryAttempt(first.Delivery.Id, DeliveryStatus.Pending, now, 503, "503 Service Unavailable", now.AddSeconds(40))]);
        var beforeRetry = await Store.ClaimAsync(now.AddSeconds(35), now.AddSeconds(65), Plenty);
        var retry = Assert.Single(await Store.ClaimAsync(now.AddSeconds(41), now.AddSeconds(70), Plenty));
        await Store.RecordAsync([new DeliveryAttempt(first.Delivery.Id, DeliveryStatus.Delivered, now.AddSeconds(41), 200, null, now.AddSeconds(41))]);
        var resolved = Assert.Single(await Store.ClaimAsync(now.AddSeconds(42), now.AddSeconds(72), Plenty));

        Assert.Equal((NotificationEvent.Firing, channel.Id, "ordered"), (first.Delivery.Event, first.Kind == ChannelKind.Webhook ? channel.Id : Guid.Empty, first.ChannelName));
        Assert.Empty(whileHeld);
        Assert.Equal(first.Delivery.Id, afterLease.Delivery.Id);
        Assert.Empty(beforeRetry);
        Assert.Equal((first.Delivery.Id, 1), (retry.Delivery.Id, retry.Delivery.Attempts));
        Assert.Equal(NotificationEvent.Resolved, resolved.Delivery.Event);
        var delivered = await Store.GetDeliveryAsync(first.Delivery.Id);
        Assert.Equal((DeliveryStatus.Delivered, 2, 200), (delivered!.Status, delivered.Attempts, delivered.ResponseStatus));
        Assert.Contains("\"status\":\"OPEN\"", first.Delivery.AlertJson);
        Assert.Contains("\"status\":\"RESOLVED\"", resolved.Delivery.AlertJson);
    }

    [Fact]
    public async Task A_claim_takes_no_more_of_a_channel_than_its_room()
    {
        var busy = await AddChannelAsync(NewChannel("busy", machineIds: ["press-1"]));
        var quiet = await AddChannelAsync(NewChannel("quiet", machineIds: ["press-2"]));
        for (var i = 0; i < 10; i++)
        {
            await Stores.Alerts.SaveAsync(NewAlert(), NotificationEvent.Firing);
        }
        await Stores.Alerts.SaveAsync(NewAlert("press-2"), NotificationEvent.Firing);
        var now = Now.AddSeconds(1);

        var claimed = await Store.ClaimAsync(now, now.AddSeconds(30), new ClaimRoom(64, 4, new Dictionary<Guid, int> { [busy.Id] = 1 }));
        var full = await Store.ClaimAsync(now, now.AddSeconds(30), new ClaimRoom(64, 4, new Dictionary<Guid, int> { [busy.Id] = 4, [quiet.Id] = 4 }));

        Assert.Equal(3, claimed.Count(w => w.Delivery.ChannelId == busy.Id));
        Assert.Equal(1, claimed.Count(w => w.Delivery.ChannelId == quiet.Id));
        Assert.Empty(full);
    }

    [Fact]
    public async Task Deleting_a_channel_fails_what_it_had_pending_and_lists_it_no_more()
    {
        var channel = await AddChannelAsync(NewChannel("doomed"));
        var kept = await AddChannelAsync(NewChannel("kept", enabled: false));
        var alert = NewAlert();
        await Stores.Alerts.SaveAsync(alert, NotificationEvent.Firing);

        Assert.True(await Store.DeleteChannelAsync(channel.Id, Now));
        Assert.False(await Store.DeleteChannelAsync(channel.Id, Now));

        var delivery = Assert.Single(await DeliveriesOf(alert));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("deleted", delivery.Error);
        Assert.Equal([kept.Id], (await Store.ChannelsAsync()).Select(c => c.Id));
        Assert.Empty(await Store.ClaimAsync(Now.AddSeconds(1), Now.AddSeconds(30), Plenty));
    }

    [Fact]
    public async Task A_channel_is_replaced_whole_but_keeps_its_creation_time_and_an_unknown_one_is_null()
    {
        var channel = await AddChannelAsync(NewChannel("first"));
        var replaced = channel with { Name = "second", Kind = ChannelKind.Slack, MinSeverity = Severity.Critical, Types = [AlertType.NoData],
            MachineIds = ["m-1", "m-2"], ModelTypes = ["energy"], RepeatIntervalMinutes = 30, Enabled = false, CreatedAt = channel.CreatedAt.AddDays(1) };

        var updated = await Store.UpdateChannelAsync(replaced);
        var unknown = await Store.UpdateChannelAsync(replaced with { Id = Guid.NewGuid() });
        var read = await Store.GetChannelAsync(channel.Id);

        Assert.Null(unknown);
        foreach (var shown in new[] { updated!, read! })
        {
            Assert.Equal(("second", ChannelKind.Slack, Severity.Critical, 30, false), (shown.Name, shown.Kind, shown.MinSeverity, shown.RepeatIntervalMinutes, shown.Enabled));
            Assert.Equal([AlertType.NoData], shown.Types);
            Assert.Equal(["m-1", "m-2"], shown.MachineIds);
            Assert.Equal(["energy"], shown.ModelTypes);
            Assert.Equal(channel.CreatedAt, shown.CreatedAt, TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task Silences_list_by_activity_and_expire_once()
    {
        var active = new Silence(Guid.CreateVersion7(), "m", null, null, null, Now.AddMinutes(-1), Now.AddHours(1), "op", "maintenance");
        var over = new Silence(Guid.CreateVersion7(), null, "press-9", "energy", AlertType.NoData, Now.AddHours(-3), Now.AddHours(-2), "op", null);
        await Store.CreateSilenceAsync(active);
        await Store.CreateSilenceAsync(over);

        Assert.Equal([active.Id], (await Store.SilencesAsync(true, Now)).Select(s => s.Id));
        Assert.Equal([over.Id], (await Store.SilencesAsync(false, Now)).Select(s => s.Id));
        Assert.Equal([active.Id, over.Id], (await Store.SilencesAsync(null, Now)).Select(s => s.Id));
        var expiredAt = Now;
        var expired = await Store.ExpireSilenceAsync(active.Id, expiredAt);
        var again = await Store.ExpireSilenceAsync(active.Id, expiredAt.AddMinutes(5));
        Assert.Equal(expiredAt, expired!.EndsAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(expiredAt, again!.EndsAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(over.EndsAt, (await Store.ExpireSilenceAsync(over.Id, Now))!.EndsAt, TimeSpan.FromMilliseconds(1));
        Assert.Null(await Store.ExpireSilenceAsync(Guid.NewGuid(), Now));
        Assert.Empty(await Store.SilencesAsync(true, Now.AddSeconds(1)));
        Assert.Equal(("m", "maintenance", "op"), (expired.ModelId, expired.Comment, expired.CreatedBy));
        var read = Assert.Single(await Store.SilencesAsync(null, Now), s => s.Id == over.Id);
        Assert.Equal(("press-9", "energy", AlertType.NoData), (read.MachineId, read.ModelType, read.Type));
    }

    [Fact]
    public async Task An_open_alert_gets_a_reminder_once_per_interval_and_an_acknowledged_one_none()
    {
        var repeating = await AddChannelAsync(NewChannel("repeats", repeatMinutes: 2));
        await AddChannelAsync(NewChannel("quiet", repeatMinutes: 0));
        var open = NewAlert();
        var acknowledged = NewAlert("press-2");
        await Stores.Alerts.SaveAsync(open, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(acknowledged, NotificationEvent.Firing);
        await Stores.Alerts.SaveAsync(acknowledged with { Status = AlertStatus.Acknowledged, AcknowledgedAt = Now });
        var minute = TimeSpan.FromMinutes(1);
        var start = Now;

        var early = await Store.AddDueRepeatsAsync(start.AddSeconds(90), minute);
        var due = await Store.AddDueRepeatsAsync(start.AddSeconds(121), minute);
        var again = await Store.AddDueRepeatsAsync(start.AddSeconds(122), minute);
        var next = await Store.AddDueRepeatsAsync(start.AddSeconds(242), minute);

        Assert.Equal((0, 1, 0, 1), (early, due, again, next));
        var repeats = (await DeliveriesOf(open)).Where(d => d.Event == NotificationEvent.Repeat).ToList();
        Assert.Equal(2, repeats.Count);
        Assert.All(repeats, r => Assert.Equal((repeating.Id, DeliveryStatus.Pending), (r.ChannelId, r.Status)));
        Assert.DoesNotContain(await DeliveriesOf(acknowledged), d => d.Event == NotificationEvent.Repeat);
    }

    [Fact]
    public async Task A_delivery_added_as_claimed_is_not_claimed_by_another_until_its_lease_ends()
    {
        var channel = await AddChannelAsync(NewChannel("test"));
        var now = Now;
        var work = await Store.AddClaimedAsync(NotificationOutbox.Test(channel, now), now.AddSeconds(15));
        var unknown = await Store.AddClaimedAsync(NotificationOutbox.Test(channel with { Id = Guid.NewGuid() }, now), now.AddSeconds(15));

        Assert.Equal((NotificationEvent.Test, (Guid?)null, "http://127.0.0.1:9/hook"), (work!.Delivery.Event, work.Delivery.AlertId, work.Url));
        Assert.Null(unknown);
        Assert.Empty(await Store.ClaimAsync(now.AddSeconds(1), now.AddSeconds(30), Plenty));
        Assert.Equal(work.Delivery.Id, Assert.Single(await Store.ClaimAsync(now.AddSeconds(16), now.AddSeconds(40), Plenty)).Delivery.Id);
        Assert.Equal([work.Delivery.Id], (await Store.DeliveriesAsync(new DeliveryFilter(ChannelId: channel.Id, Status: DeliveryStatus.Pending), 10)).Select(d => d.Id));
    }
}

public sealed class InMemoryNotificationStoreTests : NotificationStoreContract
{
    protected override NotificationStores Stores { get; } = NotificationStores.InMemory();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresNotificationStoreTests(PostgresServer postgres) : NotificationStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;
    private NotificationStores? stores;

    protected override NotificationStores Stores => stores!;

    public async Task InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("outbox"));
        await new Migrator(dataSource).MigrateAsync();
        stores = NotificationStores.Postgres(dataSource);
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task An_alert_change_and_its_deliveries_commit_together_or_not_at_all()
    {
        await Stores.Notifications.CreateChannelAsync(NewChannel("all"));
        var alert = AlertStoreContract.NewAlert("atomic");
        // The outbox refuses its insert (a trigger): the alert must not be stored either.
        await using (var refuse = dataSource!.CreateCommand(
            "CREATE FUNCTION fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$; " +
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON model_notification_deliveries FOR EACH ROW EXECUTE FUNCTION fail_outbox()"))
        {
            await refuse.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<PostgresException>(() => Stores.Alerts.SaveAsync(alert, NotificationEvent.Firing));

        Assert.Null(await Stores.Alerts.GetAsync(alert.Id));
    }
}
