using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.History;

/// <summary>
/// Adds committed evaluations to <c>model_metric_hourly</c> (sql/0005): one upsert row per monitor and hour
/// for a whole group commit, in key order so that concurrent writers lock rows in the same order.
/// </summary>
internal static class HourlyRollup
{
    private static readonly Metric[] Metrics = Enum.GetValues<Metric>();

    private static readonly string UpsertSql = BuildUpsertSql();

    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(MonitorKey Key, Evaluation Evaluation)> evaluations)
    {
        var buckets = new SortedDictionary<(string, string, DateTime), Aggregate[]>();
        foreach (var (key, evaluation) in evaluations)
        {
            var hour = TrendBuckets.Start(evaluation.EvaluatedAt, Bucket.Hour);
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

        await using var upsert = new NpgsqlCommand(UpsertSql, connection, transaction);
        upsert.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = buckets.Keys.Select(k => k.Item1).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = buckets.Keys.Select(k => k.Item2).ToArray() });
        upsert.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = buckets.Keys.Select(k => k.Item3).ToArray() });
        for (var i = 0; i < Metrics.Length; i++)
        {
            var index = i;
            upsert.Parameters.Add(new NpgsqlParameter($"n{i}", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = buckets.Values.Select(a => a[index].Count).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter($"s{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Sum).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter($"lo{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Min).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter($"hi{i}", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Values.Select(a => a[index].Max).ToArray() });
        }
        await upsert.ExecuteNonQueryAsync();
    }

    /// <summary>The column prefix of a metric in <c>model_metric_hourly</c>.</summary>
    public static string Prefix(Metric metric) => metric switch
    {
        Metric.RSquared => "r_squared",
        _ => Names.Of(metric).ToLowerInvariant(),
    };

    private static string BuildUpsertSql()
    {
        var columns = Metrics.SelectMany(m => new[] { $"{Prefix(m)}_n", $"{Prefix(m)}_sum", $"{Prefix(m)}_min", $"{Prefix(m)}_max" });
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
        return $"INSERT INTO model_metric_hourly AS h (model_id, machine_id, hour, {string.Join(", ", columns)}) " +
               $"SELECT * FROM unnest(@m, @c, @h, {string.Join(", ", arrays)}) " +
               $"ON CONFLICT (model_id, machine_id, hour) DO UPDATE SET {string.Join(", ", updates)}";
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
