using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.History;

/// <summary>The registry side of the history: pages of <c>model_monitors</c> with each one's latest evaluation, and counts.</summary>
public sealed partial class PostgresHistory
{
    private const string RegistryFilter =
        "(@type IS NULL OR model_type = @type) AND (@machine IS NULL OR machine_id = @machine) AND (@health IS NULL OR health = @health) " +
        "AND (@model IS NULL OR model_id = @model) AND (@machines IS NULL OR machine_id = ANY(@machines)) " +
        "AND (@search IS NULL OR strpos(lower(model_id), @search) > 0 OR strpos(lower(machine_id), @search) > 0)";

    public Task<MonitorPage> ListMonitorsAsync(MonitorFilter filter, MonitorOrder order, int first, string? after, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => ListMonitorsAsyncCore(filter, order, first, after, cancellationToken), cancellationToken);

    /// <summary>
    /// The page is chosen from the registry first and only its monitors' latest evaluations are looked up (one index
    /// probe each), so a page costs the same whatever the fleet's size.
    /// </summary>
    private async Task<MonitorPage> ListMonitorsAsyncCore(MonitorFilter filter, MonitorOrder order, int first, string? after, CancellationToken cancellationToken)
    {
        var position = MonitorCursor.Decode(after, order);
        var worst = order == MonitorOrder.WorstFirst;
        var sortKey = worst ? $"{HealthRank.Sql}, model_id COLLATE \"C\", machine_id COLLATE \"C\"" : "model_id COLLATE \"C\", machine_id COLLATE \"C\"";
        var afterKey = worst ? "(@after_r, @after_m COLLATE \"C\", @after_c COLLATE \"C\")" : "(@after_m COLLATE \"C\", @after_c COLLATE \"C\")";
        await using var command = dataSource.CreateCommand(
            $"WITH page AS (SELECT model_id, machine_id, model_type, task, active_version, health, {HealthRank.Sql} AS rank FROM model_monitors " +
            $"WHERE {RegistryFilter} AND (@after_m IS NULL OR ({sortKey}) > {afterKey}) ORDER BY {sortKey} LIMIT @limit) " +
            $"SELECT e.id, e.model_version, e.evaluated_at, e.sample_count, {MetricColumns}, " +
            "p.model_id, p.machine_id, p.model_type, p.task, p.active_version, p.health FROM page p " +
            $"LEFT JOIN LATERAL (SELECT id, model_version, evaluated_at, sample_count, {MetricColumns} FROM model_performance_metrics m " +
            "WHERE m.model_id = p.model_id AND m.machine_id = p.machine_id ORDER BY evaluated_at DESC, seq DESC LIMIT 1) e ON true " +
            $"ORDER BY {(worst ? "p.rank, " : "")}p.model_id COLLATE \"C\", p.machine_id COLLATE \"C\"; " +
            $"SELECT count(*) FROM model_monitors WHERE {RegistryFilter}");
        AddRegistryFilter(command, filter);
        command.Parameters.Add(new NpgsqlParameter("after_r", NpgsqlDbType.Integer) { Value = (object?)position?.Rank ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_m", NpgsqlDbType.Text) { Value = (object?)position?.Key.ModelId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_c", NpgsqlDbType.Text) { Value = (object?)position?.Key.MachineId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", first + 1);
        var monitors = new List<MonitorListing>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new MonitorKey(reader.GetString(12), reader.GetString(13));
            monitors.Add(new MonitorListing(key, reader.GetString(14), reader.IsDBNull(15) ? null : Names.Parse<ModelTask>(reader.GetString(15)),
                reader.IsDBNull(16) ? null : reader.GetString(16), Names.Parse<HealthStatus>(reader.GetString(17)),
                reader.IsDBNull(0) ? null : ReadEvaluation(reader, key)));
        }
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);
        var hasNext = monitors.Count > first;
        var page = hasNext ? monitors.GetRange(0, first) : monitors;
        return new MonitorPage(page, hasNext, page.Count > 0 ? MonitorCursor.Encode(page[^1], order) : null, total);
    }

    public Task<HealthCounts> CountByHealthAsync(MonitorFilter filter, CancellationToken cancellationToken = default) =>
        LimitedAsync(async () =>
        {
            await using var command = dataSource.CreateCommand($"SELECT health, count(*) FROM model_monitors WHERE {RegistryFilter} GROUP BY health");
            AddRegistryFilter(command, filter);
            var counts = new Dictionary<HealthStatus, int>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[Names.Parse<HealthStatus>(reader.GetString(0))] = (int)reader.GetInt64(1);
            }
            return HealthCounts.From(counts);
        }, cancellationToken);

    private static void AddRegistryFilter(NpgsqlCommand command, MonitorFilter filter)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)filter.ModelType ?? DBNull.Value });
        p.Add(new NpgsqlParameter("machine", NpgsqlDbType.Text) { Value = (object?)filter.MachineId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("health", NpgsqlDbType.Text) { Value = filter.Health is { } h ? Names.Of(h) : DBNull.Value });
        p.Add(new NpgsqlParameter("model", NpgsqlDbType.Text) { Value = (object?)filter.ModelId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("search", NpgsqlDbType.Text) { Value = (object?)filter.Search?.ToLowerInvariant() ?? DBNull.Value });
        p.Add(new NpgsqlParameter("machines", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)filter.MachineIds?.ToArray() ?? DBNull.Value });
    }
}
