using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.History;

/// <summary>The history in PostgreSQL: the domain tables of <c>sql/</c>, written by group commit.</summary>
public sealed partial class PostgresHistory(NpgsqlDataSource dataSource, ILogger<PostgresHistory> logger, TimeProvider clock) : IHistoryWriter, IMonitorHistory, IAsyncDisposable
{
    private const string MetricColumns = "r_squared, rmse, mae, mape, accuracy, \"precision\", recall, f1";

    private readonly PostgresHistoryWriter writer = new(dataSource, logger, clock);

    /// <summary>
    /// Bounds this silo's concurrent queries, so a thousand monitors activating at once queue here instead of
    /// exhausting the pool and the server's connections (the writer has its own few connections).
    /// </summary>
    private readonly SemaphoreSlim queries = new(MaxConcurrentQueries);

    private const int MaxConcurrentQueries = 16;

    public Task<IReadOnlySet<long>> AppendAsync(MonitorKey key, IReadOnlyList<EvaluationRow> evaluations, PredictionBatchRow? batch, CancellationToken cancellationToken = default) =>
        writer.AppendAsync(key, evaluations, batch);

    public Task<HistoryReplay> ReadAfterAsync(MonitorKey key, long seq, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => ReadAfterAsyncCore(key, seq, cancellationToken), cancellationToken);

    private async Task<HistoryReplay> ReadAfterAsyncCore(MonitorKey key, long seq, CancellationToken cancellationToken)
    {
        var evaluations = new List<EvaluationRow>();
        await using (var command = dataSource.CreateCommand(
            $"SELECT id, model_version, evaluated_at, sample_count, {MetricColumns}, model_type, seq, evaluation_id, source " +
            "FROM model_performance_metrics WHERE model_id = @m AND machine_id = @c AND seq > @seq ORDER BY seq"))
        {
            AddKey(command, key);
            command.Parameters.AddWithValue("seq", seq);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                evaluations.Add(new EvaluationRow(ReadEvaluation(reader, key), reader.GetString(12), reader.GetInt64(13),
                    reader.IsDBNull(14) ? null : reader.GetString(14), Names.Parse<EvaluationSource>(reader.GetString(15))));
            }
        }
        var batches = new List<PredictionBatchRow>();
        await using (var command = dataSource.CreateCommand(
            "SELECT seq, batch_id, model_version, received_at, samples::text FROM model_prediction_batches " +
            "WHERE model_id = @m AND machine_id = @c AND seq > @seq ORDER BY seq"))
        {
            AddKey(command, key);
            command.Parameters.AddWithValue("seq", seq);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                batches.Add(new PredictionBatchRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTime>(3), SampleJson.Deserialize(reader.GetString(4))));
            }
        }
        return new HistoryReplay(evaluations, batches);
    }

    public Task<Evaluation?> FindEvaluationAsync(MonitorKey key, string evaluationId, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => FindEvaluationAsyncCore(key, evaluationId, cancellationToken), cancellationToken);

    private async Task<Evaluation?> FindEvaluationAsyncCore(MonitorKey key, string evaluationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT e.id, e.model_version, e.evaluated_at, e.sample_count, {MetricColumns} FROM model_evaluation_keys k " +
            "JOIN model_performance_metrics e ON e.id = k.id AND e.evaluated_at = k.evaluated_at " +
            "WHERE k.model_id = @m AND k.machine_id = @c AND k.evaluation_id = @eid");
        AddKey(command, key);
        command.Parameters.AddWithValue("eid", evaluationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEvaluation(reader, key) : null;
    }

    public Task<IReadOnlyList<Evaluation>> ReadRecentRecordedAsync(MonitorKey key, string? version, int count, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => ReadRecentRecordedAsyncCore(key, version, count, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<Evaluation>> ReadRecentRecordedAsyncCore(MonitorKey key, string? version, int count, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT id, model_version, evaluated_at, sample_count, {MetricColumns} FROM model_performance_metrics " +
            "WHERE model_id = @m AND machine_id = @c AND source = @source AND (model_version IS NULL OR model_version = @version) " +
            "ORDER BY seq DESC LIMIT @count");
        AddKey(command, key);
        command.Parameters.AddWithValue("source", Names.Of(EvaluationSource.Recorded));
        command.Parameters.AddWithValue("version", NpgsqlDbType.Text, (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("count", count);
        var result = new List<Evaluation>(Math.Min(count, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadEvaluation(reader, key));
        }
        result.Reverse();
        return result;
    }

    public Task RegisterMonitorAsync(MonitorRegistration registration, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => RegisterMonitorAsyncCore(registration, cancellationToken), cancellationToken);

    private async Task RegisterMonitorAsyncCore(MonitorRegistration registration, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO model_monitors (model_id, machine_id, model_type, task, active_version, health)
            VALUES (@m, @c, @type, @task, @version, @health)
            ON CONFLICT (model_id, machine_id) DO UPDATE SET model_type = excluded.model_type, task = excluded.task,
                active_version = excluded.active_version, health = excluded.health, updated_at = now()
            """);
        AddKey(command, registration.Key);
        command.Parameters.AddWithValue("type", registration.ModelType);
        command.Parameters.AddWithValue("task", registration.Task is { } task ? Names.Of(task) : DBNull.Value);
        command.Parameters.AddWithValue("version", (object?)registration.ActiveVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("health", Names.Of(registration.Health));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Evaluation>> GetEvaluationsAsync(MonitorKey key, DateTime? from, DateTime? to, int first, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => GetEvaluationsAsyncCore(key, from, to, first, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<Evaluation>> GetEvaluationsAsyncCore(MonitorKey key, DateTime? from, DateTime? to, int first, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT id, model_version, evaluated_at, sample_count, {MetricColumns} FROM model_performance_metrics " +
            "WHERE model_id = @m AND machine_id = @c AND (@from IS NULL OR evaluated_at >= @from) AND (@to IS NULL OR evaluated_at < @to) " +
            "ORDER BY evaluated_at DESC, seq DESC LIMIT @first");
        AddKey(command, key);
        AddRange(command, from, to);
        command.Parameters.AddWithValue("first", first);
        var result = new List<Evaluation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadEvaluation(reader, key));
        }
        return result;
    }

    public Task<IReadOnlyList<Evaluation>> GetChampionEvaluationsAsync(MonitorKey key, string? version, DateTime from, int first, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => GetChampionEvaluationsAsyncCore(key, version, from, first, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<Evaluation>> GetChampionEvaluationsAsyncCore(MonitorKey key, string? version, DateTime from, int first, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT id, model_version, evaluated_at, sample_count, {MetricColumns} FROM model_performance_metrics " +
            "WHERE model_id = @m AND machine_id = @c AND evaluated_at >= @from AND (model_version IS NULL OR model_version = @v) " +
            "ORDER BY evaluated_at DESC, seq DESC LIMIT @first");
        AddKey(command, key);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Text) { Value = (object?)version ?? DBNull.Value });
        command.Parameters.AddWithValue("first", first);
        var result = new List<Evaluation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadEvaluation(reader, key));
        }
        return result;
    }

    public Task<IReadOnlyList<TrendPoint>> GetTrendAsync(MonitorKey key, Metric metric, DateTime? from, DateTime? to, Bucket bucket, CancellationToken cancellationToken = default) =>
        LimitedAsync(() => GetTrendAsyncCore(key, metric, from, to, bucket, cancellationToken), cancellationToken);

    /// <summary>
    /// Whole hours up to the monitor's coverage come from <c>model_metric_hourly</c> (filled first, see
    /// <see cref="HourlyRollup"/>); the partial hours at the ends of the range, the recent hours and MINUTE
    /// buckets from the evaluations themselves, so the answer equals an aggregate over the rows.
    /// </summary>
    private async Task<IReadOnlyList<TrendPoint>> GetTrendAsyncCore(MonitorKey key, Metric metric, DateTime? from, DateTime? to, Bucket bucket, CancellationToken cancellationToken)
    {
        var plan = TrendPlan.Create(from, to, bucket == Bucket.Minute ? null :
            await HourlyRollup.FillAsync(dataSource, key, HourlyRollup.SealedBefore(clock.GetUtcNow().UtcDateTime), cancellationToken));
        // The column and field names come from enums, never from client text.
        var column = MetricColumn(metric);
        var prefix = HourlyRollup.Prefix(metric);
        var field = TrendBuckets.PostgresField(bucket);
        const string monitor = "model_id = @m AND machine_id = @c";
        await using var command = dataSource.CreateCommand($"""
            WITH parts AS (
                SELECT date_trunc('{field}', hour, 'UTC') AS b, {prefix}_n AS n, {prefix}_sum AS s, {prefix}_min AS lo, {prefix}_max AS hi
                FROM model_metric_hourly
                WHERE @hours AND {monitor} AND {prefix}_n > 0 AND (@h1 IS NULL OR hour >= @h1) AND hour < @h2
                UNION ALL
                SELECT date_trunc('{field}', evaluated_at, 'UTC'), 1, {column}, {column}, {column}
                FROM model_performance_metrics
                WHERE @head AND {monitor} AND {column} IS NOT NULL AND (@from IS NULL OR evaluated_at >= @from) AND evaluated_at < @a
                UNION ALL
                SELECT date_trunc('{field}', evaluated_at, 'UTC'), 1, {column}, {column}, {column}
                FROM model_performance_metrics
                WHERE {monitor} AND {column} IS NOT NULL AND (@r IS NULL OR evaluated_at >= @r) AND (@to IS NULL OR evaluated_at < @to))
            SELECT b, sum(n), sum(s) / sum(n), min(lo), max(hi) FROM parts GROUP BY b ORDER BY b
            """);
        AddKey(command, key);
        AddRange(command, from, to);
        command.Parameters.AddWithValue("hours", plan.Hours is not null);
        command.Parameters.Add(Timestamp("h1", plan.Hours?.From));
        command.Parameters.Add(Timestamp("h2", plan.Hours?.To ?? DateTime.UnixEpoch));
        command.Parameters.AddWithValue("head", plan.HeadTo is not null);
        command.Parameters.Add(Timestamp("a", plan.HeadTo ?? DateTime.UnixEpoch));
        command.Parameters.Add(Timestamp("r", plan.RestFrom));
        var result = new List<TrendPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new TrendPoint(reader.GetFieldValue<DateTime>(0), (int)reader.GetDecimal(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
        }
        return result;
    }

    private static NpgsqlParameter Timestamp(string name, DateTime? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value ?? DBNull.Value };

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    private async Task LimitedAsync(Func<Task> query, CancellationToken cancellationToken) =>
        await LimitedAsync(async () => { await query(); return true; }, cancellationToken);

    private async Task<T> LimitedAsync<T>(Func<Task<T>> query, CancellationToken cancellationToken)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            return await query();
        }
        finally
        {
            queries.Release();
        }
    }

    private static string MetricColumn(Metric metric) => metric switch
    {
        Metric.RSquared => "r_squared",
        Metric.Rmse => "rmse",
        Metric.Mae => "mae",
        Metric.Mape => "mape",
        Metric.Accuracy => "accuracy",
        Metric.Precision => "\"precision\"",
        Metric.Recall => "recall",
        Metric.F1 => "f1",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    private static void AddKey(NpgsqlCommand command, MonitorKey key)
    {
        command.Parameters.AddWithValue("m", key.ModelId);
        command.Parameters.AddWithValue("c", key.MachineId);
    }

    private static void AddRange(NpgsqlCommand command, DateTime? from, DateTime? to)
    {
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
    }

    /// <summary>Reads columns id, model_version, evaluated_at, sample_count and the eight metrics, in that order.</summary>
    private static Evaluation ReadEvaluation(NpgsqlDataReader reader, MonitorKey key)
    {
        double? Metric(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        return new Evaluation(reader.GetGuid(0), key.ModelId, key.MachineId, reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetFieldValue<DateTime>(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
            new MetricSet(Metric(4), Metric(5), Metric(6), Metric(7), Metric(8), Metric(9), Metric(10), Metric(11)));
    }
}
