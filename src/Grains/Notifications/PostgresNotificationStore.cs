using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// Channels in <c>model_notification_channels</c>, silences in <c>model_silences</c>, and the outbox <c>model_notification_deliveries</c>,
/// whose rows the alert store adds in its own transaction (<see cref="AddAsync"/>) and whose pending rows any silo claims with a lease.
/// </summary>
/// <param name="alerts">The alert store, for the open alerts a reminder sweep looks at (it writes its deliveries here, so it is asked lazily).</param>
public sealed class PostgresNotificationStore(NpgsqlDataSource dataSource, DeliverySignal signal, TimeProvider clock, Func<IAlertStore> alerts)
    : INotificationStore
{
    private const string ChannelColumns =
        "id, name, kind, url, min_severity, types, machine_ids, model_types, repeat_interval_minutes, secret, enabled, created_at";

    private const string SilenceColumns = "id, model_id, machine_id, model_type, type, starts_at, ends_at, created_by, comment";

    private const string DeliveryColumns =
        "id, channel_id, alert_id, event, status, attempts, created_at, last_attempt_at, response_status, error, next_attempt_at, alert::text";

    private volatile CachedChannels? enabledChannels;

    /// <summary>Only one silo at a time adds reminders (a transaction-scoped advisory lock).</summary>
    private const long RepeatLock = 0x6d70_6e6f_7469_6679;

    /// <summary>
    /// Runs <paramref name="save"/> (the alert's own write) and adds the deliveries of its event in the same transaction, so both commit or
    /// neither; the write and the routing's reads share one round trip.
    /// </summary>
    public async Task<bool> AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatchCommand save, Alert alert,
        NotificationEvent notification, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (channels, silences) = await RoutingAsync(connection, transaction, now, save, cancellationToken);
        var planned = NotificationOutbox.Plan(alert, notification, channels, silences, now);
        await InsertAsync(connection, transaction, planned, null, cancellationToken);
        return planned.Any(d => d.Status == DeliveryStatus.Pending);
    }

    /// <summary>Wakes this silo's dispatcher after the transaction that added pending deliveries committed.</summary>
    public void Added() => signal.Wake();

    public async Task CreateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO model_notification_channels ({ChannelColumns}) " +
            "VALUES (@id, @name, @kind, @url, @min_severity, @types, @machine_ids, @model_types, @repeat, @secret, @enabled, @created_at)");
        AddChannel(command.Parameters, channel);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<NotificationChannel?> UpdateChannelAsync(NotificationChannel channel, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE model_notification_channels SET name = @name, kind = @kind, url = @url, " +
            "min_severity = @min_severity, types = @types, machine_ids = @machine_ids, model_types = @model_types, repeat_interval_minutes = @repeat, " +
            $"secret = @secret, enabled = @enabled WHERE id = @id RETURNING {ChannelColumns}");
        AddChannel(command.Parameters, channel);
        return (await Sql.ReadAllAsync(command, ReadChannel, cancellationToken)).FirstOrDefault();
    }

    public async Task<bool> DeleteChannelAsync(Guid id, DateTime now, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM model_notification_channels WHERE id = @id") { Parameters = { new("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "UPDATE model_notification_deliveries SET status = 'FAILED', error = @error, locked_until = NULL WHERE channel_id = @id AND status = 'PENDING'")
        {
            Parameters = { new("id", id), new("error", NotificationStoreText.ChannelDeleted) },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[0].RecordsAffected > 0;
    }

    public async Task<NotificationChannel?> GetChannelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ChannelColumns} FROM model_notification_channels WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await Sql.ReadAllAsync(command, ReadChannel, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ChannelColumns} FROM model_notification_channels ORDER BY created_at, id");
        return await Sql.ReadAllAsync(command, ReadChannel, cancellationToken);
    }

    public async Task CreateSilenceAsync(Silence silence, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO model_silences ({SilenceColumns}) " +
            "VALUES (@id, @model, @machine, @model_type, @type, @starts_at, @ends_at, @created_by, @comment)");
        var p = command.Parameters;
        p.AddWithValue("id", silence.Id);
        p.Add(Sql.Text("model", silence.ModelId));
        p.Add(Sql.Text("machine", silence.MachineId));
        p.Add(Sql.Text("model_type", silence.ModelType));
        p.Add(Sql.Text("type", silence.Type is { } type ? Names.Of(type) : null));
        p.AddWithValue("starts_at", silence.StartsAt);
        p.AddWithValue("ends_at", silence.EndsAt);
        p.AddWithValue("created_by", silence.CreatedBy);
        p.Add(Sql.Text("comment", silence.Comment));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Silence?> ExpireSilenceAsync(Guid id, DateTime now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE model_silences SET ends_at = least(ends_at, @now) WHERE id = @id RETURNING {SilenceColumns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        return (await Sql.ReadAllAsync(command, ReadSilence, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<Silence>> SilencesAsync(bool? active, DateTime now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SilenceColumns} FROM model_silences " +
            "WHERE @active IS NULL OR ((starts_at <= @now AND @now < ends_at) = @active) ORDER BY starts_at DESC, id DESC");
        command.Parameters.Add(new NpgsqlParameter("active", NpgsqlDbType.Boolean) { Value = (object?)active ?? DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        return await Sql.ReadAllAsync(command, ReadSilence, cancellationToken);
    }

    public async Task<IReadOnlyList<NotificationDelivery>> DeliveriesAsync(DeliveryFilter filter, int first, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DeliveryColumns} FROM model_notification_deliveries " +
            "WHERE (@alert IS NULL OR alert_id = @alert) AND (@channel IS NULL OR channel_id = @channel) AND (@status IS NULL OR status = @status) " +
            "ORDER BY seq DESC LIMIT @first");
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("alert", NpgsqlDbType.Uuid) { Value = (object?)filter.AlertId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("channel", NpgsqlDbType.Uuid) { Value = (object?)filter.ChannelId ?? DBNull.Value });
        p.Add(Sql.Text("status", filter.Status is { } status ? Names.Of(status) : null));
        p.AddWithValue("first", first);
        return await Sql.ReadAllAsync(command, ReadDelivery, cancellationToken);
    }

    public async Task<NotificationDelivery?> GetDeliveryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DeliveryColumns} FROM model_notification_deliveries WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await Sql.ReadAllAsync(command, ReadDelivery, cancellationToken)).FirstOrDefault();
    }

    public async Task<DeliveryWork?> AddClaimedAsync(NotificationDelivery delivery, DateTime leaseUntil, CancellationToken cancellationToken = default)
    {
        var channel = await GetChannelAsync(delivery.ChannelId, cancellationToken);
        if (channel is null)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertAsync(connection, null, [delivery], leaseUntil, cancellationToken);
        return new DeliveryWork(delivery, channel.Kind, channel.Url, channel.Secret, channel.Name);
    }

    public async Task<IReadOnlyList<DeliveryWork>> ClaimAsync(DateTime now, DateTime leaseUntil, ClaimRoom room, CancellationToken cancellationToken = default)
    {
        // An alert's later events wait while an earlier one to the same channel is pending, claimed or not: events arrive in order.
        // New events only come after, so a candidate stays the oldest of its alert; the lease is taken only if no other silo took it first.
        await using var candidates = dataSource.CreateCommand("""
            SELECT p.seq, p.channel_id FROM model_notification_deliveries p
            WHERE p.status = 'PENDING' AND p.next_attempt_at <= @now AND (p.locked_until IS NULL OR p.locked_until < @now)
              AND NOT (p.channel_id = ANY(@full))
              AND (p.alert_id IS NULL OR NOT EXISTS (SELECT 1 FROM model_notification_deliveries e WHERE e.status = 'PENDING'
                   AND e.channel_id = p.channel_id AND e.alert_id = p.alert_id AND e.seq < p.seq))
            ORDER BY p.seq LIMIT @scan
            """);
        candidates.Parameters.AddWithValue("now", now);
        candidates.Parameters.AddWithValue("full", room.FullChannels);
        candidates.Parameters.AddWithValue("scan", room.Total * 4);
        var chosen = room.Choose(await Sql.ReadAllAsync(candidates, r => (Seq: r.GetInt64(0), Channel: r.GetGuid(1)), cancellationToken), c => c.Channel);
        if (chosen.Count == 0)
        {
            return [];
        }
        return await WithoutWaitingForDiskAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                UPDATE model_notification_deliveries d SET locked_until = @lease
                FROM model_notification_channels c
                WHERE c.id = d.channel_id AND d.seq = ANY(@chosen) AND d.status = 'PENDING' AND (d.locked_until IS NULL OR d.locked_until < @now)
                RETURNING {string.Join(", ", DeliveryColumns.Split(", ").Select(c => "d." + c))}, c.kind, c.url, c.secret, c.name
                """, connection, transaction);
            var p = command.Parameters;
            p.AddWithValue("lease", leaseUntil);
            p.AddWithValue("now", now);
            p.AddWithValue("chosen", chosen.Select(c => c.Seq).ToArray());
            return await Sql.ReadAllAsync(command, r => new DeliveryWork(ReadDelivery(r), Names.Parse<ChannelKind>(r.GetString(12)), r.GetString(13),
                r.IsDBNull(14) ? null : r.GetString(14), r.GetString(15)), cancellationToken);
        }, cancellationToken);
    }

    public Task RecordAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken = default) =>
        WithoutWaitingForDiskAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE model_notification_deliveries d SET status = u.status, attempts = d.attempts + 1, last_attempt_at = u.at,
                    response_status = u.response_status, error = u.error, next_attempt_at = u.next_attempt_at, locked_until = NULL
                FROM unnest(@ids, @statuses, @ats, @response_statuses, @errors, @next_attempts) AS u(id, status, at, response_status, error, next_attempt_at)
                WHERE d.id = u.id AND d.status = 'PENDING'
                """, connection, transaction);
            var p = command.Parameters;
            p.AddWithValue("ids", attempts.Select(a => a.DeliveryId).ToArray());
            p.AddWithValue("statuses", attempts.Select(a => Names.Of(a.Status)).ToArray());
            p.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = attempts.Select(a => a.At).ToArray() });
            p.Add(new NpgsqlParameter("response_statuses", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = attempts.Select(a => a.ResponseStatus).ToArray() });
            p.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = attempts.Select(a => a.Error).ToArray() });
            p.Add(new NpgsqlParameter("next_attempts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = attempts.Select(a => a.NextAttemptAt).ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<int> AddDueRepeatsAsync(DateTime now, TimeSpan minute, CancellationToken cancellationToken = default)
    {
        var open = await alerts().QueryAsync(new AlertFilter(Status: AlertStatus.Open), int.MaxValue, cancellationToken);
        if (open.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key)", connection, transaction) { Parameters = { new("key", RepeatLock) } })
        {
            if (await locking.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }
        var (channels, silences) = await RoutingAsync(connection, transaction, now, null, cancellationToken);
        var lastEvent = new Dictionary<(Guid, Guid), DateTime>();
        await using (var last = new NpgsqlCommand("SELECT alert_id, channel_id, max(created_at) FROM model_notification_deliveries " +
                                                  "WHERE alert_id = ANY(@ids) GROUP BY alert_id, channel_id", connection, transaction))
        {
            last.Parameters.AddWithValue("ids", open.Select(a => a.Id).ToArray());
            foreach (var (alertId, channelId, at) in await Sql.ReadAllAsync(last, r => (r.GetGuid(0), r.GetGuid(1), r.GetFieldValue<DateTime>(2)), cancellationToken))
            {
                lastEvent[(alertId, channelId)] = at;
            }
        }
        var due = NotificationOutbox.DueRepeats(channels, open, lastEvent, now, minute);
        if (due.Count == 0)
        {
            return 0;
        }
        // An alert resolved meanwhile gets no reminder; one being resolved now waits for this transaction, so its RESOLVED comes after.
        HashSet<Guid> stillOpen;
        await using (var share = new NpgsqlCommand("SELECT id FROM model_alerts WHERE id = ANY(@ids) AND status = 'OPEN' FOR SHARE", connection, transaction))
        {
            share.Parameters.AddWithValue("ids", due.Select(p => p.Alert.Id).Distinct().ToArray());
            stillOpen = (await Sql.ReadAllAsync(share, r => r.GetGuid(0), cancellationToken)).ToHashSet();
        }
        var planned = due.Where(p => stillOpen.Contains(p.Alert.Id))
            .SelectMany(p => NotificationOutbox.Plan(p.Alert, NotificationEvent.Repeat, [p.Channel], silences, now)).ToList();
        await InsertAsync(connection, transaction, planned, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (planned.Any(d => d.Status == DeliveryStatus.Pending))
        {
            signal.Wake();
        }
        return planned.Count;
    }

    /// <summary>
    /// The enabled channels and the silences active at <paramref name="now"/>, read in one round trip after <paramref name="first"/>, if given.
    /// The channels come from this silo's copy while the version their changes bump is the one it was read at; else they are read again.
    /// </summary>
    private async Task<(IReadOnlyList<NotificationChannel>, IReadOnlyList<Silence>)> RoutingAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, DateTime now, NpgsqlBatchCommand? first, CancellationToken cancellationToken)
    {
        long version;
        var silences = new List<Silence>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            if (first is not null)
            {
                batch.BatchCommands.Add(first);
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT version FROM model_notification_channel_version"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {SilenceColumns} FROM model_silences WHERE ends_at > @now AND starts_at <= @now")
            {
                Parameters = { new("now", now) },
            });
            // The reader starts at the first result with rows: the write's own result is passed over.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            version = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                silences.Add(ReadSilence(reader));
            }
        }
        if (enabledChannels is { } cached && cached.Version == version)
        {
            return (cached.Channels, silences);
        }
        await using var read = new NpgsqlCommand($"SELECT {ChannelColumns} FROM model_notification_channels WHERE enabled", connection, transaction);
        var channels = await Sql.ReadAllAsync(read, ReadChannel, cancellationToken);
        // Tagged with the version read before them: if they changed in between, the next alert reads them again.
        enabledChannels = new CachedChannels(version, channels);
        return (channels, silences);
    }

    private sealed record CachedChannels(long Version, IReadOnlyList<NotificationChannel> Channels);

    /// <summary>
    /// Runs a claim or an attempt's record in a transaction whose commit does not wait for the disk. Losing one to a crash of PostgreSQL
    /// loses no notification: the delivery is sent again (at least once). The outbox rows themselves commit with the alert, durably.
    /// </summary>
    private async Task<T> WithoutWaitingForDiskAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var relaxed = new NpgsqlCommand("SET LOCAL synchronous_commit TO OFF", connection, transaction))
        {
            await relaxed.ExecuteNonQueryAsync(cancellationToken);
        }
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<NotificationDelivery> deliveries,
        DateTime? leaseUntil, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return;
        }
        // unnest keeps the array order, and seq follows it: the order the events happened.
        await using var command = new NpgsqlCommand("""
            INSERT INTO model_notification_deliveries (id, channel_id, alert_id, event, status, attempts, created_at, next_attempt_at, locked_until, alert)
            SELECT u.id, u.channel_id, u.alert_id, u.event, u.status, 0, u.created_at, u.created_at, @lease, u.alert::json
            FROM unnest(@ids, @channels, @alerts, @events, @statuses, @created, @bodies) WITH ORDINALITY
                AS u(id, channel_id, alert_id, event, status, created_at, alert, n)
            ORDER BY u.n
            """, connection, transaction);
        var p = command.Parameters;
        p.AddWithValue("ids", deliveries.Select(d => d.Id).ToArray());
        p.AddWithValue("channels", deliveries.Select(d => d.ChannelId).ToArray());
        p.Add(new NpgsqlParameter("alerts", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = deliveries.Select(d => d.AlertId).ToArray() });
        p.AddWithValue("events", deliveries.Select(d => Names.Of(d.Event)).ToArray());
        p.AddWithValue("statuses", deliveries.Select(d => Names.Of(d.Status)).ToArray());
        p.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = deliveries.Select(d => d.CreatedAt).ToArray() });
        p.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = deliveries.Select(d => d.AlertJson).ToArray() });
        p.Add(new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = (object?)leaseUntil ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddChannel(NpgsqlParameterCollection p, NotificationChannel channel)
    {
        p.AddWithValue("id", channel.Id);
        p.AddWithValue("name", channel.Name);
        p.AddWithValue("kind", Names.Of(channel.Kind));
        p.AddWithValue("url", channel.Url);
        p.AddWithValue("min_severity", Names.Of(channel.MinSeverity));
        p.Add(TextArray("types", channel.Types?.Select(t => Names.Of(t))));
        p.Add(TextArray("machine_ids", channel.MachineIds));
        p.Add(TextArray("model_types", channel.ModelTypes));
        p.AddWithValue("repeat", channel.RepeatIntervalMinutes);
        p.Add(Sql.Text("secret", channel.Secret));
        p.AddWithValue("enabled", channel.Enabled);
        p.AddWithValue("created_at", channel.CreatedAt);
    }

    private static NpgsqlParameter TextArray(string name, IEnumerable<string>? values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)values?.ToArray() ?? DBNull.Value };

    private static NotificationChannel ReadChannel(NpgsqlDataReader r)
    {
        string[]? Texts(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<string[]>(i);
        return new NotificationChannel(r.GetGuid(0), r.GetString(1), Names.Parse<ChannelKind>(r.GetString(2)), r.GetString(3),
            Names.Parse<Severity>(r.GetString(4)), Texts(5)?.Select(Names.Parse<AlertType>).ToList(), Texts(6), Texts(7), r.GetInt32(8),
            r.IsDBNull(9) ? null : r.GetString(9), r.GetBoolean(10), r.GetFieldValue<DateTime>(11));
    }

    private static Silence ReadSilence(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new Silence(r.GetGuid(0), Text(1), Text(2), Text(3), Text(4) is { } type ? Names.Parse<AlertType>(type) : null,
            r.GetFieldValue<DateTime>(5), r.GetFieldValue<DateTime>(6), r.GetString(7), Text(8));
    }

    /// <summary>Reads the columns of <see cref="DeliveryColumns"/>, in that order.</summary>
    private static NotificationDelivery ReadDelivery(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.IsDBNull(2) ? null : r.GetGuid(2), Names.Parse<NotificationEvent>(r.GetString(3)),
        Names.Parse<DeliveryStatus>(r.GetString(4)), r.GetInt32(5), r.GetFieldValue<DateTime>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTime>(7),
        r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetFieldValue<DateTime>(10), r.IsDBNull(11) ? null : r.GetString(11));
}
