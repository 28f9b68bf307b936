using Npgsql;

namespace ModelPerformance.Grains.History;

/// <summary>
/// The monthly partitions of the history tables (sql/0011 holds the functions that name, create and drop them): created a
/// month ahead by <see cref="HistoryPartitionMaintenance"/>, and on demand by a writer whose rows fall in a month that has none.
/// </summary>
public static class HistoryPartitions
{
    public const string Metrics = "model_performance_metrics";
    public const string DriftChecks = "model_drift_checks";

    /// <summary>
    /// An insert into a partitioned table whose row has no partition; the history tables have no CHECK constraints, so
    /// a check violation on one of them can only mean that.
    /// </summary>
    public static bool IsMissingPartition(PostgresException e) => e.SqlState == PostgresErrorCodes.CheckViolation;

    /// <summary>Creates the partitions of table for the months of the given times that lack one.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string table, IEnumerable<DateTime> times, CancellationToken cancellationToken = default)
    {
        var months = times.Select(t => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc)).Distinct().ToArray();
        if (months.Length == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT model_history_ensure_partitions(@table, m, m) FROM unnest(@months) AS m");
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("months", months);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Creates the partitions of table for every month from first to last, inclusive; returns how many it created.</summary>
    public static async Task<int> EnsureRangeAsync(NpgsqlDataSource dataSource, string table, DateTime first, DateTime last, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT model_history_ensure_partitions(@table, @first, @last)");
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("first", first);
        command.Parameters.AddWithValue("last", last);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Drops the partitions of table whose month ends at or before cutoff; returns how many it dropped.</summary>
    public static async Task<int> DropBeforeAsync(NpgsqlDataSource dataSource, string table, DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT model_history_drop_partitions(@table, @cutoff)");
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }
}
