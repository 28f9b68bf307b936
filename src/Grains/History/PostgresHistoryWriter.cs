using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Common;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Group commit of history rows. Callers queue their rows and wait; a few writer loops take everything
/// queued, write it with binary COPY in one transaction and release all its callers at once, so many
/// concurrent small calls cost one round trip and one commit together. When a COPY hits a duplicate
/// evaluation or batch id, that group is written again with <c>INSERT .. ON CONFLICT DO NOTHING</c>,
/// which tells each caller which of its rows were already stored. An evaluation id's uniqueness lives in
/// <c>model_evaluation_keys</c>, since the partitioned evaluations table cannot hold it. Traced, a group's statements
/// run under one span that continues the first caller's trace and links the others (<see cref="ServiceActivities"/>).
/// </summary>
public sealed class PostgresHistoryWriter : IAsyncDisposable
{
    private const int MaxRowsPerCommit = 20_000;
    private const int WriterLoops = 2;

    /// <summary>The evaluation columns in the order the writer's COPY and INSERT fill them.</summary>
    public const string EvaluationColumns =
        "id, model_id, machine_id, model_type, model_version, seq, evaluation_id, source, evaluated_at, recorded_at, " +
        "sample_count, r_squared, rmse, mae, mape, accuracy, \"precision\", recall, f1";

    /// <summary>The evaluation key columns in the order the writer fills them.</summary>
    public const string KeyColumns = "model_id, machine_id, evaluation_id, id, evaluated_at";

    private const string BatchColumns = "model_id, machine_id, seq, batch_id, model_version, received_at, sample_count, samples";

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] loops;

    public PostgresHistoryWriter(NpgsqlDataSource dataSource, ILogger logger, TimeProvider clock)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        this.clock = clock;
        loops = Enumerable.Range(0, WriterLoops).Select(_ => BackgroundLoop.Start(RunAsync)).ToArray();
    }

    public Task<IReadOnlySet<long>> AppendAsync(MonitorKey key, IReadOnlyList<EvaluationRow> evaluations, PredictionBatchRow? batch)
    {
        var pending = new PendingAppend(key, evaluations, batch, Activity.Current?.Context ?? default, new TaskCompletionSource<IReadOnlySet<long>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the history writer is shut down");
        }
        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(loops);
    }

    private async Task RunAsync()
    {
        var group = new List<PendingAppend>();
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            var rows = 0;
            while (rows < MaxRowsPerCommit && queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                rows += pending.Evaluations.Count + (pending.Batch is null ? 0 : 1);
            }
            if (group.Count > 0)
            {
                // In monitor order, the rows go into the indexes led by (model_id, machine_id) side by side rather
                // than scattered over them, as they arrived; a group is one transaction, so the order is not visible.
                // (A stable sort: one monitor's appends keep their order.)
                await WriteGroupAsync(group.OrderBy(p => p.Key.ModelId, StringComparer.Ordinal).ThenBy(p => p.Key.MachineId, StringComparer.Ordinal).ToList());
            }
        }
    }

    private async Task WriteGroupAsync(List<PendingAppend> group)
    {
        using var activity = ServiceActivities.StartOnBehalfOf("history append", group.Select(p => p.Caller));
        activity?.SetTag("modelperf.appends", group.Count);
        try
        {
            // A backfill of an old month may find no partition for it yet.
            await HistoryPartitions.WriteCreatingMonthsAsync(dataSource, HistoryPartitions.Metrics,
                () => Evaluations(group).Select(e => e.Item2.EvaluatedAt), () => WriteOrSkipDuplicatesAsync(group));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing {Count} history appends failed", group.Count);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private async Task WriteOrSkipDuplicatesAsync(List<PendingAppend> group)
    {
        try
        {
            await CopyAsync(group);
            foreach (var pending in group)
            {
                pending.Done.TrySetResult(NoDuplicates);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var stored = await InsertSkippingDuplicatesAsync(group);
            foreach (var pending in group)
            {
                var duplicates = pending.Seqs().Where(seq => !stored.Contains((pending.Key, seq))).ToHashSet();
                pending.Done.TrySetResult(duplicates);
            }
        }
    }

    /// <summary>
    /// Evaluation rows (small, thousands per group) are written with the importer's synchronous calls: they
    /// only fill its buffer and flush it when full, so 19 awaits per row bought nothing but state machines.
    /// Batch rows carry large sample payloads and are few, so they keep the asynchronous calls.
    /// </summary>
    private async Task CopyAsync(List<PendingAppend> group)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (group.Any(p => p.Batch is not null))
        {
            await using var batches = await connection.BeginBinaryImportAsync($"COPY model_prediction_batches ({BatchColumns}) FROM STDIN (FORMAT BINARY)");
            foreach (var pending in group)
            {
                if (pending.Batch is { } batch)
                {
                    await batches.StartRowAsync();
                    await batches.WriteAsync(pending.Key.ModelId, NpgsqlDbType.Text);
                    await batches.WriteAsync(pending.Key.MachineId, NpgsqlDbType.Text);
                    await batches.WriteAsync(batch.Seq, NpgsqlDbType.Bigint);
                    await WriteNullableAsync(batches, batch.BatchId, NpgsqlDbType.Text);
                    await WriteNullableAsync(batches, batch.ModelVersion, NpgsqlDbType.Text);
                    await batches.WriteAsync(batch.ReceivedAt, NpgsqlDbType.TimestampTz);
                    await batches.WriteAsync(batch.Samples.Count, NpgsqlDbType.Integer);
                    await batches.WriteAsync(SampleJson.Serialize(batch.Samples), NpgsqlDbType.Jsonb);
                }
            }
            await batches.CompleteAsync();
        }
        if (group.Any(p => p.Evaluations.Any(e => e.EvaluationId is not null)))
        {
            // First, so that a repeated evaluation id fails the group before its evaluations are sent.
            await using var keys = await connection.BeginBinaryImportAsync($"COPY model_evaluation_keys ({KeyColumns}) FROM STDIN (FORMAT BINARY)");
            foreach (var pending in group)
            {
                foreach (var row in pending.Evaluations.Where(e => e.EvaluationId is not null))
                {
                    keys.StartRow();
                    keys.Write(pending.Key.ModelId, NpgsqlDbType.Text);
                    keys.Write(pending.Key.MachineId, NpgsqlDbType.Text);
                    keys.Write(row.EvaluationId!, NpgsqlDbType.Text);
                    keys.Write(row.Evaluation.Id, NpgsqlDbType.Uuid);
                    keys.Write(row.Evaluation.EvaluatedAt, NpgsqlDbType.TimestampTz);
                }
            }
            await keys.CompleteAsync();
        }
        if (group.Any(p => p.Evaluations.Count > 0))
        {
            var recordedAt = clock.GetUtcNow().UtcDateTime;
            await using var evaluations = await connection.BeginBinaryImportAsync($"COPY model_performance_metrics ({EvaluationColumns}) FROM STDIN (FORMAT BINARY)");
            foreach (var pending in group)
            {
                foreach (var row in pending.Evaluations)
                {
                    var e = row.Evaluation;
                    evaluations.StartRow();
                    evaluations.Write(e.Id, NpgsqlDbType.Uuid);
                    evaluations.Write(pending.Key.ModelId, NpgsqlDbType.Text);
                    evaluations.Write(pending.Key.MachineId, NpgsqlDbType.Text);
                    evaluations.Write(row.ModelType, NpgsqlDbType.Text);
                    WriteNullable(evaluations, e.ModelVersion, NpgsqlDbType.Text);
                    evaluations.Write(row.Seq, NpgsqlDbType.Bigint);
                    WriteNullable(evaluations, row.EvaluationId, NpgsqlDbType.Text);
                    evaluations.Write(Names.Of(row.Source), NpgsqlDbType.Text);
                    evaluations.Write(e.EvaluatedAt, NpgsqlDbType.TimestampTz);
                    evaluations.Write(recordedAt, NpgsqlDbType.TimestampTz);
                    WriteNullable(evaluations, e.SampleCount, NpgsqlDbType.Integer);
                    foreach (var metric in AllMetrics)
                    {
                        WriteNullable(evaluations, e.Metrics.Get(metric), NpgsqlDbType.Double);
                    }
                }
            }
            await evaluations.CompleteAsync();
        }
        await HourlyRollup.AddLateAsync(connection, transaction, Evaluations(group), clock.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync();
    }

    /// <summary>Writes the group row by row semantics, skipping stored ids; returns the (monitor, seq) of rows it stored.</summary>
    private async Task<HashSet<(MonitorKey, long)>> InsertSkippingDuplicatesAsync(List<PendingAppend> group)
    {
        var stored = new HashSet<(MonitorKey, long)>();
        var storedEvaluations = new List<(MonitorKey, Evaluation)>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var pending in group)
        {
            if (pending.Batch is { } batch)
            {
                await using var insert = new NpgsqlCommand(
                    $"INSERT INTO model_prediction_batches ({BatchColumns}) VALUES (@m, @c, @seq, @batch, @version, @at, @n, @samples::jsonb) ON CONFLICT DO NOTHING",
                    connection, transaction);
                insert.Parameters.AddWithValue("m", pending.Key.ModelId);
                insert.Parameters.AddWithValue("c", pending.Key.MachineId);
                insert.Parameters.AddWithValue("seq", batch.Seq);
                insert.Parameters.AddWithValue("batch", (object?)batch.BatchId ?? DBNull.Value);
                insert.Parameters.AddWithValue("version", (object?)batch.ModelVersion ?? DBNull.Value);
                insert.Parameters.AddWithValue("at", batch.ReceivedAt);
                insert.Parameters.AddWithValue("n", batch.Samples.Count);
                insert.Parameters.AddWithValue("samples", SampleJson.Serialize(batch.Samples));
                if (await insert.ExecuteNonQueryAsync() == 1)
                {
                    stored.Add((pending.Key, batch.Seq));
                }
                else
                {
                    continue;
                }
            }
            foreach (var row in pending.Evaluations)
            {
                var e = row.Evaluation;
                // The evaluation is stored when it has no id, or when its id's key is new.
                await using var insert = new NpgsqlCommand(
                    $"WITH new_key AS (INSERT INTO model_evaluation_keys ({KeyColumns}) SELECT @m, @c, @eid, @id, @at WHERE @eid IS NOT NULL " +
                    "ON CONFLICT DO NOTHING RETURNING 1) " +
                    $"INSERT INTO model_performance_metrics ({EvaluationColumns}) SELECT " +
                    "@id, @m, @c, @type, @version, @seq, @eid, @source, @at, now(), @n, @r2, @rmse, @mae, @mape, @acc, @prec, @rec, @f1 " +
                    "WHERE @eid IS NULL OR EXISTS (SELECT FROM new_key)",
                    connection, transaction);
                insert.Parameters.AddWithValue("id", e.Id);
                insert.Parameters.AddWithValue("m", pending.Key.ModelId);
                insert.Parameters.AddWithValue("c", pending.Key.MachineId);
                insert.Parameters.AddWithValue("type", row.ModelType);
                insert.Parameters.AddWithValue("version", (object?)e.ModelVersion ?? DBNull.Value);
                insert.Parameters.AddWithValue("seq", row.Seq);
                insert.Parameters.AddWithValue("eid", NpgsqlDbType.Text, (object?)row.EvaluationId ?? DBNull.Value);
                insert.Parameters.AddWithValue("source", Names.Of(row.Source));
                insert.Parameters.AddWithValue("at", e.EvaluatedAt);
                insert.Parameters.AddWithValue("n", (object?)e.SampleCount ?? DBNull.Value);
                string[] names = ["r2", "rmse", "mae", "mape", "acc", "prec", "rec", "f1"];
                for (var i = 0; i < names.Length; i++)
                {
                    insert.Parameters.AddWithValue(names[i], NpgsqlDbType.Double, (object?)e.Metrics.Get(AllMetrics[i]) ?? DBNull.Value);
                }
                if (await insert.ExecuteNonQueryAsync() == 1)
                {
                    stored.Add((pending.Key, row.Seq));
                    storedEvaluations.Add((pending.Key, e));
                }
            }
        }
        await HourlyRollup.AddLateAsync(connection, transaction, storedEvaluations, clock.GetUtcNow().UtcDateTime);
        await transaction.CommitAsync();
        return stored;
    }

    /// <summary>A group's evaluations, one iterator for the group rather than one per append.</summary>
    private static IEnumerable<(MonitorKey, Evaluation)> Evaluations(List<PendingAppend> group)
    {
        foreach (var pending in group)
        {
            foreach (var row in pending.Evaluations)
            {
                yield return (pending.Key, row.Evaluation);
            }
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null)
        {
            await importer.WriteNullAsync();
        }
        else
        {
            await importer.WriteAsync(value, type);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static readonly Metric[] AllMetrics = Enum.GetValues<Metric>();

    private static readonly IReadOnlySet<long> NoDuplicates = new HashSet<long>();

    private sealed record PendingAppend(MonitorKey Key, IReadOnlyList<EvaluationRow> Evaluations, PredictionBatchRow? Batch, ActivityContext Caller,
        TaskCompletionSource<IReadOnlySet<long>> Done)
    {
        public IEnumerable<long> Seqs() =>
            Evaluations.Select(e => e.Seq).Concat(Batch is null ? [] : [Batch.Seq]);
    }
}
