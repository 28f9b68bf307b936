using ModelPerformance.Grains.Storage;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Alerts;

/// <summary>
/// Alerts in <c>model_alerts</c>; enums are stored by their contract names, details as jsonb. A change that is a notification event
/// commits together with its deliveries in the outbox.
/// </summary>
public sealed class PostgresAlertStore(NpgsqlDataSource dataSource, PostgresNotificationStore outbox) : IAlertStore
{
    private const string Columns =
        "id, model_id, machine_id, model_type, type, severity, status, message, details::text, created_at, last_seen_at, " +
        "occurrences, acknowledged_at, resolved_at, resolved_by, resolution_note, auto_action";

    /// <summary>Bounds this silo's concurrent alert queries, so a burst queues here instead of exhausting the pool.</summary>
    private readonly SemaphoreSlim queries = new(MaxConcurrentQueries);

    private const int MaxConcurrentQueries = 8;

    public async Task SaveAsync(Alert alert, NotificationEvent? notification = null, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            if (notification is not { } happened)
            {
                await using var command = dataSource.CreateCommand(UpsertSql);
                AddParameters(command.Parameters, alert);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            AddParameters(upsert.Parameters, alert);
            var pending = await outbox.AddAsync(connection, transaction, upsert, alert, happened, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (pending)
            {
                outbox.Added();
            }
        }
        finally
        {
            queries.Release();
        }
    }

    private const string UpsertSql = """
        INSERT INTO model_alerts (id, model_id, machine_id, model_type, type, severity, status, message, details,
            created_at, last_seen_at, occurrences, acknowledged_at, resolved_at, resolved_by, resolution_note, auto_action)
        VALUES (@id, @model, @machine, @model_type, @type, @severity, @status, @message, @details,
            @created_at, @last_seen_at, @occurrences, @acknowledged_at, @resolved_at, @resolved_by, @resolution_note, @auto_action)
        ON CONFLICT (id) DO UPDATE SET model_id = excluded.model_id, machine_id = excluded.machine_id,
            model_type = excluded.model_type, type = excluded.type, severity = excluded.severity, status = excluded.status,
            message = excluded.message, details = excluded.details, created_at = excluded.created_at,
            last_seen_at = excluded.last_seen_at, occurrences = excluded.occurrences, acknowledged_at = excluded.acknowledged_at,
            resolved_at = excluded.resolved_at, resolved_by = excluded.resolved_by, resolution_note = excluded.resolution_note,
            auto_action = excluded.auto_action
        """;

    private static void AddParameters(NpgsqlParameterCollection p, Alert alert)
    {
        p.AddWithValue("id", alert.Id);
        p.AddWithValue("model", alert.ModelId);
        p.AddWithValue("machine", alert.MachineId);
        p.AddWithValue("model_type", alert.ModelType);
        p.AddWithValue("type", Names.Of(alert.Type));
        p.AddWithValue("severity", Names.Of(alert.Severity));
        p.AddWithValue("status", Names.Of(alert.Status));
        p.AddWithValue("message", alert.Message);
        p.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb) { Value = (object?)alert.DetailsJson ?? DBNull.Value });
        p.Add(Timestamp("created_at", alert.CreatedAt));
        p.Add(Timestamp("last_seen_at", alert.LastSeenAt));
        p.AddWithValue("occurrences", alert.Occurrences);
        p.Add(Timestamp("acknowledged_at", alert.AcknowledgedAt));
        p.Add(Timestamp("resolved_at", alert.ResolvedAt));
        p.Add(Sql.Text("resolved_by", alert.ResolvedBy));
        p.Add(Sql.Text("resolution_note", alert.ResolutionNote));
        p.Add(Sql.Text("auto_action", alert.AutoAction));
    }

    public async Task<Alert?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_alerts WHERE id = @id");
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        finally
        {
            queries.Release();
        }
    }

    public async Task<IReadOnlyList<Alert>> QueryAsync(AlertFilter filter, int first, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT {Columns} FROM model_alerts WHERE (@status IS NULL OR status = @status) AND (@severity IS NULL OR severity = @severity) " +
                "AND (@type IS NULL OR type = @type) AND (@machine IS NULL OR machine_id = @machine) " +
                "AND (@model_type IS NULL OR model_type = @model_type) AND (@model IS NULL OR model_id = @model) " +
                "ORDER BY created_at DESC, id DESC LIMIT @first");
            var p = command.Parameters;
            p.Add(Sql.Text("status", filter.Status is { } status ? Names.Of(status) : null));
            p.Add(Sql.Text("severity", filter.Severity is { } severity ? Names.Of(severity) : null));
            p.Add(Sql.Text("type", filter.Type is { } type ? Names.Of(type) : null));
            p.Add(Sql.Text("machine", filter.MachineId));
            p.Add(Sql.Text("model_type", filter.ModelType));
            p.Add(Sql.Text("model", filter.ModelId));
            p.AddWithValue("first", first);
            return await Sql.ReadAllAsync(command, Read, cancellationToken);
        }
        finally
        {
            queries.Release();
        }
    }

    public async Task<IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>>> QueryByMonitorAsync(IReadOnlyCollection<MonitorKey> monitors, AlertStatus? status,
        int firstPerMonitor, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            // One index probe per monitor (model_alerts_monitor), each taking its newest few.
            await using var command = dataSource.CreateCommand(
                $"SELECT a.* FROM unnest(@models, @machines) AS k(model_id, machine_id) CROSS JOIN LATERAL (SELECT {Columns} FROM model_alerts " +
                "WHERE model_id = k.model_id AND machine_id = k.machine_id AND (@status IS NULL OR status = @status) " +
                "ORDER BY created_at DESC, id DESC LIMIT @first) a");
            var p = command.Parameters;
            p.Add(new NpgsqlParameter("models", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = monitors.Select(k => k.ModelId).ToArray() });
            p.Add(new NpgsqlParameter("machines", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = monitors.Select(k => k.MachineId).ToArray() });
            p.Add(Sql.Text("status", status is { } s ? Names.Of(s) : null));
            p.AddWithValue("first", firstPerMonitor);
            var alerts = await Sql.ReadAllAsync(command, Read, cancellationToken);
            return alerts.GroupBy(a => new MonitorKey(a.ModelId, a.MachineId)).ToDictionary(g => g.Key, g => (IReadOnlyList<Alert>)g.ToList());
        }
        finally
        {
            queries.Release();
        }
    }

    public async Task<(int Unresolved, int Critical)> CountUnresolvedAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*), count(*) FILTER (WHERE severity = 'CRITICAL') FROM model_alerts WHERE status <> 'RESOLVED' " +
                "AND (@machine IS NULL OR machine_id = @machine) AND (@model_type IS NULL OR model_type = @model_type) AND (@model IS NULL OR model_id = @model)");
            command.Parameters.Add(Sql.Text("machine", filter.MachineId));
            command.Parameters.Add(Sql.Text("model_type", filter.ModelType));
            command.Parameters.Add(Sql.Text("model", filter.ModelId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }
        finally
        {
            queries.Release();
        }
    }

    private static NpgsqlParameter Timestamp(string name, DateTime? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };

    /// <summary>Reads the columns of <see cref="Columns"/>, in that order.</summary>
    private static Alert Read(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTime? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTime>(i);
        return new Alert(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            Names.Parse<AlertType>(reader.GetString(4)), Names.Parse<Severity>(reader.GetString(5)), Names.Parse<AlertStatus>(reader.GetString(6)),
            reader.GetString(7), Text(8), reader.GetFieldValue<DateTime>(9), reader.GetFieldValue<DateTime>(10), reader.GetInt32(11),
            Time(12), Time(13), Text(14), Text(15), Text(16));
    }
}
