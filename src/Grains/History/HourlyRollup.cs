using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Keeps <c>model_metric_hourly</c> (sql/0005) without taxing ingestion:
/// <list type="bullet">
/// <item>a trend query first fills the table, from the rows, for hours that ended at least <see cref="SealLag"/>
/// ago and are not covered yet, and records how far it is complete;</item>
/// <item>the history writer adds an evaluation to the table only when it arrives for an hour that ended
/// <see cref="LateLag"/> ago or earlier (a backfill) and that a fill has covered, in the same transaction as its
/// row; the next fill sums an uncovered hour from the rows, so a backfill of hours no trend has read costs no
/// more than its rows.</item>
/// </list>
/// Both hold a per-monitor transaction advisory lock, so a fill never misses a late row committing beside it:
/// a fill holds it exclusively, writers share it, since their upserts add to the same rows atomically and
/// need not wait on each other. A writer reads the coverage only once it holds the lock, so a late row is summed
/// either by its writer or by a fill that sees it committed, never by both or neither.
/// The gap between the two lags tolerates clocks of different silos disagreeing by up to an hour.
/// </summary>
internal static class HourlyRollup
{
    public static readonly TimeSpan LateLag = TimeSpan.FromHours(1);
    public static readonly TimeSpan SealLag = TimeSpan.FromHours(3);

    /// <summary>First key of the two-part advisory locks on a monitor's hourly aggregates ("mh").</summary>
    private const int LockClass = 0x6d68;

    private static readonly Metric[] Metrics = Enum.GetValues<Metric>();

    private static readonly string[] Columns = Metrics
        .SelectMany(m => new[] { $"{Prefix(m)}_n", $"{Prefix(m)}_sum", $"{Prefix(m)}_min", $"{Prefix(m)}_max" })
        .ToArray();

    private static readonly string AddSql = BuildAddSql();

    private static readonly string FillSql = BuildFillSql();

    /// <summary>The column prefix of a metric in <c>model_metric_hourly</c>.</summary>
    public static string Prefix(Metric metric) => metric switch
    {
        Metric.RSquared => "r_squared",
        _ => Names.Of(metric).ToLowerInvariant(),
    };

    /// <summary>Hours before this are complete enough to aggregate: nothing on time arrives for them any more.</summary>
    public static DateTime SealedBefore(DateTime utcNow) => TrendBuckets.Start(utcNow, Bucket.Hour) - SealLag;

    /// <summary>Adds the evaluations that came late for their hour; the writer calls it inside its transaction.</summary>
    public static async Task AddLateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(MonitorKey Key, Evaluation Evaluation)> evaluations, DateTime utcNow)
    {
        var lateBefore = TrendBuckets.Start(utcNow, Bucket.Hour) - LateLag;
        var buckets = new SortedDictionary<(string, string, DateTime), Aggregate[]>();
        foreach (var (key, evaluation) in evaluations)
        {
            var hour = TrendBuckets.Start(evaluation.EvaluatedAt, Bucket.Hour);
            if (hour >= lateBefore)
            {
                continue;
            }
            if (!buckets.TryGetValue((key.ModelId, key.MachineId, hour), out var aggregates))
            {
                aggregates = new Aggregate[Metrics.Length];
                buckets[(key.ModelId, key.MachineId, hour)] = aggregates;
            }
            for (var i = 0; i < Metrics.Length; i++)
            {
                if (evaluation.Metrics.Get(Metrics[i]) is { } value)
                {
                    aggregates[i].Add(value);
                }
            }
        }
        if (buckets.Count == 0)
        {
            return;
        }

        // The locks are taken in key order, so that writers queued behind fills never wait on each other in a
        // cycle, and in the same round trip as the upsert: a backfill of many monitors is one statement each.
        var monitors = buckets.Keys.Select(k => new MonitorKey(k.Item1, k.Item2).ToString()).Distinct().ToArray();
        var lockAll = new NpgsqlBatchCommand(LockAllSql);
        lockAll.Parameters.AddWithValue("class", LockClass);
        lockAll.Parameters.AddWithValue("keys", monitors);
        var add = new NpgsqlBatchCommand(AddSql);
        add.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = buckets.Keys.Select(k => k.Item1).ToArray() });
        add.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = buckets.Keys.Select(k => k.Item2).ToArray() });
        add.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = buckets.Keys.Select(k => k.Item3).ToArray() });
        for (var i = 0; i < Metrics.Length; i++)
        {
            var index = i;
            add.Parameters.Add(new NpgsqlParameter($"n{i}", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = buckets.Values.Select(a => a[index].Count).ToArray() });
            add.Parameters.Add(new NpgsqlParameter($"s{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Sum).ToArray() });
            add.Parameters.Add(new NpgsqlParameter($"lo{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Min).ToArray() });
            add.Parameters.Add(new NpgsqlParameter($"hi{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Max).ToArray() });
        }
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockAll, add } };
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Makes the table complete for the monitor's hours before <paramref name="sealedBefore"/> and returns
    /// how far it is complete (null: the monitor has no evaluations yet).
    /// </summary>
    public static async Task<DateTime?> FillAsync(NpgsqlDataSource dataSource, MonitorKey key, DateTime sealedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT covered_until FROM model_metric_hourly_coverage WHERE model_id = @m AND machine_id = @c", connection))
        {
            AddKey(read, key);
            if (await read.ExecuteScalarAsync(cancellationToken) is DateTime covered && covered >= sealedBefore)
            {
                return covered;
            }
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, key);
        await using (var fill = new NpgsqlCommand(FillSql, connection, transaction))
        {
            AddKey(fill, key);
            fill.Parameters.AddWithValue("sealed", sealedBefore);
            await fill.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return sealedBefore;
    }

    /// <summary>
    /// Takes the locks shared, in array order: PostgreSQL runs volatile functions of the select list after the
    /// sort. Same lock keys as <see cref="LockAsync"/>.
    /// </summary>
    private const string LockAllSql =
        "SELECT pg_advisory_xact_lock_shared(@class, hashtext(k)) FROM unnest(@keys) WITH ORDINALITY AS t(k, i) ORDER BY i";

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MonitorKey key)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, hashtext(@key))", connection, transaction);
        command.Parameters.AddWithValue("class", LockClass);
        command.Parameters.AddWithValue("key", key.ToString());
        await command.ExecuteNonQueryAsync();
    }

    private static void AddKey(NpgsqlCommand command, MonitorKey key)
    {
        command.Parameters.AddWithValue("m", key.ModelId);
        command.Parameters.AddWithValue("c", key.MachineId);
    }

    private static string BuildAddSql()
    {
        var arrays = Enumerable.Range(0, Metrics.Length).SelectMany(i => new[] { $"@n{i}", $"@s{i}", $"@lo{i}", $"@hi{i}" });
        // LEAST and GREATEST ignore nulls, so a metric first seen in this hour takes the new min and max.
        var updates = Metrics.SelectMany(m =>
        {
            var p = Prefix(m);
            return new[]
            {
                $"{p}_n = h.{p}_n + excluded.{p}_n",
                $"{p}_sum = h.{p}_sum + excluded.{p}_sum",
                $"{p}_min = least(h.{p}_min, excluded.{p}_min)",
                $"{p}_max = greatest(h.{p}_max, excluded.{p}_max)",
            };
        });
        // Only hours a fill has covered: a later fill recomputes the others from the rows, this one's included.
        return $"INSERT INTO model_metric_hourly AS h (model_id, machine_id, hour, {string.Join(", ", Columns)}) " +
               $"SELECT u.* FROM unnest(@m, @c, @h, {string.Join(", ", arrays)}) AS u(model_id, machine_id, hour, {string.Join(", ", Columns)}) " +
               "JOIN model_metric_hourly_coverage AS coverage " +
               "ON coverage.model_id = u.model_id AND coverage.machine_id = u.machine_id AND u.hour < coverage.covered_until " +
               $"ON CONFLICT (model_id, machine_id, hour) DO UPDATE SET {string.Join(", ", updates)}";
    }

    /// <summary>Recomputes the uncovered sealed hours from the rows (replacing anything there) and moves the coverage.</summary>
    private static string BuildFillSql()
    {
        var aggregates = Metrics.Select(m =>
        {
            var column = m == Metric.Precision ? "\"precision\"" : Prefix(m);
            return $"count({column}), coalesce(sum({column}), 0), min({column}), max({column})";
        });
        var replace = Columns.Select(c => $"{c} = excluded.{c}");
        return $"""
            WITH coverage AS (
                SELECT covered_until FROM model_metric_hourly_coverage WHERE model_id = @m AND machine_id = @c),
            filled AS (
                INSERT INTO model_metric_hourly (model_id, machine_id, hour, {string.Join(", ", Columns)})
                SELECT @m, @c, date_trunc('hour', evaluated_at, 'UTC'), {string.Join(", ", aggregates)}
                FROM model_performance_metrics
                WHERE model_id = @m AND machine_id = @c AND evaluated_at < @sealed
                  AND evaluated_at >= coalesce((SELECT covered_until FROM coverage), '-infinity')
                GROUP BY 3
                ON CONFLICT (model_id, machine_id, hour) DO UPDATE SET {string.Join(", ", replace)}
                RETURNING 1)
            INSERT INTO model_metric_hourly_coverage (model_id, machine_id, covered_until)
            SELECT @m, @c, @sealed FROM (SELECT count(*) FROM filled) AS done
            ON CONFLICT (model_id, machine_id) DO UPDATE SET covered_until = greatest(model_metric_hourly_coverage.covered_until, excluded.covered_until)
            """;
    }

    private struct Aggregate
    {
        public long Count;
        public double Sum;
        public double? Min;
        public double? Max;

        public void Add(double value)
        {
            Count++;
            Sum += value;
            Min = Min is { } min ? Math.Min(min, value) : value;
            Max = Max is { } max ? Math.Max(max, value) : value;
        }
    }
}
