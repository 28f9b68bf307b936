using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace ModelPerformance.Grains.Monitors;

/// <summary>Drift checks in <c>model_drift_checks</c>, one row per check.</summary>
public sealed class PostgresDriftHistory(NpgsqlDataSource dataSource) : IDriftHistory
{
    /// <summary>Bounds this silo's concurrent inserts: periodic checks of many monitors can fall due together.</summary>
    private readonly SemaphoreSlim queries = new(MaxConcurrentQueries);

    private const int MaxConcurrentQueries = 8;

    public async Task SaveAsync(MonitorKey key, DriftReport report, CancellationToken cancellationToken = default)
    {
        await queries.WaitAsync(cancellationToken);
        try
        {
            await HistoryPartitions.WriteCreatingMonthsAsync(dataSource, HistoryPartitions.DriftChecks, () => [report.CheckedAt],
                () => InsertAsync(key, report, cancellationToken), cancellationToken);
        }
        finally
        {
            queries.Release();
        }
    }

    private async Task InsertAsync(MonitorKey key, DriftReport report, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO model_drift_checks (model_id, machine_id, checked_at, drift_detected, drift_score, reference_size,
                current_size, skipped_reason, drift_details)
            VALUES (@model, @machine, @checked_at, @detected, @score, @reference_size, @current_size, @skipped, @details)
            """);
        var p = command.Parameters;
        p.AddWithValue("model", key.ModelId);
        p.AddWithValue("machine", key.MachineId);
        p.Add(new NpgsqlParameter("checked_at", NpgsqlDbType.TimestampTz) { Value = report.CheckedAt });
        p.AddWithValue("detected", report.DriftDetected);
        p.AddWithValue("score", report.DriftScore);
        p.AddWithValue("reference_size", report.ReferenceSize);
        p.AddWithValue("current_size", report.CurrentSize);
        p.Add(new NpgsqlParameter("skipped", NpgsqlDbType.Text) { Value = (object?)report.SkippedReason ?? DBNull.Value });
        p.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb) { Value = DriftJson.Details(report) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
