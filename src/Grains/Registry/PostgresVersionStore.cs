using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Training;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Registry;

/// <summary>Versions in <c>model_versions</c>; metrics as jsonb with the contract's names, artifacts as given.</summary>
public sealed class PostgresVersionStore(NpgsqlDataSource dataSource) : IVersionStore
{
    private const string Columns = "model_id, machine_id, version, created_at, training_job_id, metrics::text, is_champion, artifact::text, promoted_at";

    public async Task<bool> AddAsync(ModelVersionInfo version, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO model_versions (model_id, machine_id, version, created_at, training_job_id, metrics, is_champion, artifact, promoted_at)
            VALUES (@model, @machine, @version, @created_at, @job, @metrics, @champion, @artifact, @promoted_at)
            ON CONFLICT (model_id, machine_id, version) DO NOTHING
            """);
        var p = command.Parameters;
        p.AddWithValue("model", version.ModelId);
        p.AddWithValue("machine", version.MachineId);
        p.AddWithValue("version", version.Version);
        p.Add(new NpgsqlParameter("created_at", NpgsqlDbType.TimestampTz) { Value = version.CreatedAt });
        p.Add(new NpgsqlParameter("job", NpgsqlDbType.Uuid) { Value = (object?)version.TrainingJobId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("metrics", NpgsqlDbType.Jsonb) { Value = version.Metrics is null ? DBNull.Value : MetricSetJson.Serialize(version.Metrics) });
        p.AddWithValue("champion", version.IsChampion);
        p.Add(new NpgsqlParameter("artifact", NpgsqlDbType.Jsonb) { Value = (object?)version.ArtifactJson ?? DBNull.Value });
        p.Add(new NpgsqlParameter("promoted_at", NpgsqlDbType.TimestampTz) { Value = (object?)version.PromotedAt ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListAsync(MonitorKey key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM model_versions WHERE model_id = @model AND machine_id = @machine ORDER BY created_at, version COLLATE \"C\"");
        command.Parameters.AddWithValue("model", key.ModelId);
        command.Parameters.AddWithValue("machine", key.MachineId);
        var result = new List<ModelVersionInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ModelVersionInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : MetricSetJson.Deserialize(reader.GetString(5)),
                reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTime>(8)));
        }
        return result;
    }

    public async Task<bool> PromoteAsync(MonitorKey key, string version, DateTime at, CancellationToken cancellationToken = default)
    {
        // The old champion steps down before the new one rises (a unique index is checked row by row), in one transaction.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var stepDown = new NpgsqlCommand(
            "UPDATE model_versions SET is_champion = false WHERE model_id = @model AND machine_id = @machine AND is_champion AND version <> @version",
            connection, transaction))
        {
            AddKey(stepDown, key, version);
            await stepDown.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var rise = new NpgsqlCommand(
            "UPDATE model_versions SET is_champion = true, promoted_at = @at WHERE model_id = @model AND machine_id = @machine AND version = @version",
            connection, transaction);
        AddKey(rise, key, version);
        rise.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = at });
        if (await rise.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static void AddKey(NpgsqlCommand command, MonitorKey key, string version)
    {
        command.Parameters.AddWithValue("model", key.ModelId);
        command.Parameters.AddWithValue("machine", key.MachineId);
        command.Parameters.AddWithValue("version", version);
    }
}
