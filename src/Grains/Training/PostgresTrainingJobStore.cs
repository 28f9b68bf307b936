using ModelPerformance.Grains.Storage;
using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Training;

/// <summary>
/// Training jobs in <c>model_training_history</c>; enums are stored by their contract names, hyperparameters and
/// metrics as jsonb.
/// </summary>
public sealed class PostgresTrainingJobStore(NpgsqlDataSource dataSource) : ITrainingJobStore
{
    private const string Columns =
        "id, model_id, machine_id, trigger, status, reason, created_at, started_at, completed_at, previous_version, new_version, " +
        "hyperparameters::text, metrics_before::text, metrics_after::text, improvement, error, ab_test_id";

    /// <summary>Bounds this silo's concurrent job queries, so a burst queues here instead of exhausting the pool.</summary>
    private readonly SemaphoreSlim queries = new(MaxConcurrentQueries);

    private const int MaxConcurrentQueries = 8;

    public async Task SaveAsync(TrainingJob job, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO model_training_history (id, model_id, machine_id, trigger, status, reason, created_at, started_at,
                    completed_at, previous_version, new_version, hyperparameters, metrics_before, metrics_after, improvement, error, ab_test_id)
                VALUES (@id, @model, @machine, @trigger, @status, @reason, @created_at, @started_at,
                    @completed_at, @previous_version, @new_version, @hyperparameters, @metrics_before, @metrics_after, @improvement, @error, @ab_test_id)
                ON CONFLICT (id) DO UPDATE SET model_id = excluded.model_id, machine_id = excluded.machine_id,
                    trigger = excluded.trigger, status = excluded.status, reason = excluded.reason, created_at = excluded.created_at,
                    started_at = excluded.started_at, completed_at = excluded.completed_at, previous_version = excluded.previous_version,
                    new_version = excluded.new_version, hyperparameters = excluded.hyperparameters, metrics_before = excluded.metrics_before,
                    metrics_after = excluded.metrics_after, improvement = excluded.improvement, error = excluded.error,
                    ab_test_id = excluded.ab_test_id
                """);
            var p = command.Parameters;
            p.AddWithValue("id", job.Id);
            p.AddWithValue("model", job.ModelId);
            p.AddWithValue("machine", job.MachineId);
            p.AddWithValue("trigger", Names.Of(job.Trigger));
            p.AddWithValue("status", Names.Of(job.Status));
            p.Add(Sql.Text("reason", job.Reason));
            p.Add(Timestamp("created_at", job.CreatedAt));
            p.Add(Timestamp("started_at", job.StartedAt));
            p.Add(Timestamp("completed_at", job.CompletedAt));
            p.Add(Sql.Text("previous_version", job.PreviousVersion));
            p.Add(Sql.Text("new_version", job.NewVersion));
            p.Add(Json("hyperparameters", job.HyperparametersJson));
            p.Add(Json("metrics_before", job.MetricsBefore is { } before ? MetricSetJson.Serialize(before) : null));
            p.Add(Json("metrics_after", job.MetricsAfter is { } after ? MetricSetJson.Serialize(after) : null));
            p.Add(new NpgsqlParameter("improvement", NpgsqlDbType.Double) { Value = (object?)job.Improvement ?? DBNull.Value });
            p.Add(Sql.Text("error", job.Error));
            p.Add(new NpgsqlParameter("ab_test_id", NpgsqlDbType.Uuid) { Value = (object?)job.AbTestId ?? DBNull.Value });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            queries.Release();
        }
    }

    public async Task<TrainingJob?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_training_history WHERE id = @id");
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        finally
        {
            queries.Release();
        }
    }

    public async Task<IReadOnlyList<TrainingJob>> QueryAsync(TrainingJobFilter filter, int first, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT {Columns} FROM model_training_history WHERE (@model IS NULL OR model_id = @model) " +
                "AND (@machine IS NULL OR machine_id = @machine) AND (@status IS NULL OR status = @status) " +
                "ORDER BY created_at DESC, id DESC LIMIT @first");
            var p = command.Parameters;
            p.Add(Sql.Text("model", filter.ModelId));
            p.Add(Sql.Text("machine", filter.MachineId));
            p.Add(Sql.Text("status", filter.Status is { } status ? Names.Of(status) : null));
            p.AddWithValue("first", first);
            return await Sql.ReadAllAsync(command, Read, cancellationToken);
        }
        finally
        {
            queries.Release();
        }
    }


    private static NpgsqlParameter Json(string name, string? value) => new(name, NpgsqlDbType.Jsonb) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Timestamp(string name, DateTime? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };

    /// <summary>Reads the columns of <see cref="Columns"/>, in that order.</summary>
    private static TrainingJob Read(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTime? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTime>(i);
        MetricSet? Metrics(int i) => reader.IsDBNull(i) ? null : MetricSetJson.Deserialize(reader.GetString(i));
        return new TrainingJob(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
            Names.Parse<TrainingTrigger>(reader.GetString(3)), Names.Parse<TrainingStatus>(reader.GetString(4)), Text(5),
            reader.GetFieldValue<DateTime>(6), Time(7), Time(8), Text(9), Text(10), Text(11), Metrics(12), Metrics(13),
            reader.IsDBNull(14) ? null : reader.GetDouble(14), Text(15), reader.IsDBNull(16) ? null : reader.GetGuid(16));
    }
}
