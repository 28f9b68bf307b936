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
    /// Runs a write into table; when a row of it falls in a month with no partition (a check violation: the history tables
    /// have no CHECK constraints, so it can only mean that), creates the months of <paramref name="times"/> and writes again.
    /// </summary>
    public static async Task WriteCreatingMonthsAsync(NpgsqlDataSource dataSource, string table, Func<IEnumerable<DateTime>> times, Func<Task> write,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            await EnsureAsync(dataSource, table, times(), cancellationToken);
            await write();
        }
    }

    /// <summary>Creates the partitions of table for the months of the given times that lack one; returns how many it created.</summary>
    public static async Task<int> EnsureAsync(NpgsqlDataSource dataSource, string table, IEnumerable<DateTime> times, CancellationToken cancellationToken = default)
    {
        var months = times.Select(t => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc)).Distinct().ToArray();
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(model_history_ensure_partitions(@table, m, m)), 0) FROM unnest(@months) AS m");
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("months", months);
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
