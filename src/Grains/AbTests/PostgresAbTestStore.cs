using ModelPerformance.Grains.Storage;
using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.AbTests;

/// <summary>A/B tests in <c>model_ab_tests</c>; enums are stored by their contract names, results as jsonb.</summary>
public sealed class PostgresAbTestStore(NpgsqlDataSource dataSource) : IAbTestStore
{
    private const string Columns =
        "id, model_id, machine_id, version_a, version_b, traffic_split, primary_metric, lower_is_better, status, started_at, " +
        "ends_at, completed_at, min_samples_per_arm, auto_promote, results::text";

    public async Task SaveAsync(AbTest test, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO model_ab_tests (id, model_id, machine_id, version_a, version_b, traffic_split, primary_metric,
                lower_is_better, status, started_at, ends_at, completed_at, min_samples_per_arm, auto_promote, results)
            VALUES (@id, @model, @machine, @version_a, @version_b, @split, @metric,
                @lower_is_better, @status, @started_at, @ends_at, @completed_at, @min_samples, @auto_promote, @results)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, ends_at = excluded.ends_at,
                completed_at = excluded.completed_at, results = excluded.results
            """);
        var p = command.Parameters;
        p.AddWithValue("id", test.Id);
        p.AddWithValue("model", test.ModelId);
        p.AddWithValue("machine", test.MachineId);
        p.AddWithValue("version_a", test.VersionA);
        p.AddWithValue("version_b", test.VersionB);
        p.AddWithValue("split", test.TrafficSplit);
        p.AddWithValue("metric", Names.Of(test.PrimaryMetric));
        p.AddWithValue("lower_is_better", test.LowerIsBetter);
        p.AddWithValue("status", Names.Of(test.Status));
        p.Add(Timestamp("started_at", test.StartedAt));
        p.Add(Timestamp("ends_at", test.EndsAt));
        p.Add(Timestamp("completed_at", test.CompletedAt));
        p.AddWithValue("min_samples", test.MinSamplesPerArm);
        p.AddWithValue("auto_promote", test.AutoPromote);
        p.Add(new NpgsqlParameter("results", NpgsqlDbType.Jsonb) { Value = AbTestResultsJson.Serialize(test.Results) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AbTest>> QueryAsync(AbTestFilter filter, int first, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM model_ab_tests WHERE (@model IS NULL OR model_id = @model) " +
            "AND (@machine IS NULL OR machine_id = @machine) AND (@status IS NULL OR status = @status) " +
            "ORDER BY started_at DESC, id DESC LIMIT @first");
        var p = command.Parameters;
        p.Add(Sql.Text("model", filter.ModelId));
        p.Add(Sql.Text("machine", filter.MachineId));
        p.Add(Sql.Text("status", filter.Status is { } status ? Names.Of(status) : null));
        p.AddWithValue("first", first);
        return await Sql.ReadAllAsync(command, Read, cancellationToken);
    }


    private static NpgsqlParameter Timestamp(string name, DateTime? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };

    /// <summary>Reads the columns of <see cref="Columns"/>, in that order.</summary>
    private static AbTest Read(NpgsqlDataReader reader)
    {
        DateTime? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTime>(i);
        return new AbTest(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetDouble(5), Names.Parse<Metric>(reader.GetString(6)), reader.GetBoolean(7), Names.Parse<AbTestStatus>(reader.GetString(8)),
            reader.GetFieldValue<DateTime>(9), Time(10), Time(11), reader.GetInt32(12), reader.GetBoolean(13),
            AbTestResultsJson.Deserialize(reader.GetString(14)));
    }
}
