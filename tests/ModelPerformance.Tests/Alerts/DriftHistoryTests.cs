using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Alerts;

public static class DriftReports
{
    public static readonly MonitorKey Key = new("drift-model", "press-4");

    public static DriftReport Drifted(DateTime checkedAt) => new(checkedAt, true, 0.5, 200, 150, null,
        [
            new FeatureDrift("temp", FeatureKind.Numeric, "KS", 0.4, 0.05, true, 0.3, 0.4, 0.001, 1.5, null, null),
            new FeatureDrift("shift", FeatureKind.Categorical, "CHI_SQUARED", 0.2, 0.05, false, 0.01, null, null, null, 0.02, double.NaN),
        ],
        new ConceptDriftStatus("PAGE_HINKLEY", true, checkedAt.AddMinutes(-5), 42));

    public static DriftReport Skipped(DateTime checkedAt) => new(checkedAt, false, 0, 0, 3, "No reference yet.", [],
        new ConceptDriftStatus("PAGE_HINKLEY", false, null, 3));
}

public sealed class InMemoryDriftHistoryTests
{
    [Fact]
    public async Task Checks_are_kept_per_monitor_in_order()
    {
        var history = new InMemoryDriftHistory();
        var t = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        await history.SaveAsync(DriftReports.Key, DriftReports.Skipped(t));
        await history.SaveAsync(DriftReports.Key, DriftReports.Drifted(t.AddHours(1)));
        await history.SaveAsync(new MonitorKey("other", "press-4"), DriftReports.Skipped(t));

        Assert.Equal([t, t.AddHours(1)], history.Checks(DriftReports.Key).Select(r => r.CheckedAt));
        Assert.Empty(history.Checks(new MonitorKey("none", "press-4")));
    }

    [Fact]
    public async Task Only_the_latest_checks_of_a_monitor_are_kept()
    {
        var history = new InMemoryDriftHistory();
        var t = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i <= InMemoryDriftHistory.MaxChecksPerMonitor; i++)
        {
            await history.SaveAsync(DriftReports.Key, DriftReports.Skipped(t.AddMinutes(i)));
        }

        var checks = history.Checks(DriftReports.Key);
        Assert.Equal(InMemoryDriftHistory.MaxChecksPerMonitor, checks.Count);
        Assert.Equal(t.AddMinutes(1), checks[0].CheckedAt);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDriftHistoryTests(PostgresServer postgres)
{
    [Fact]
    public async Task Each_check_is_one_row_with_its_features_and_concept_drift_as_json()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("drift_checks"));
        await new Migrator(dataSource).MigrateAsync();
        var history = new PostgresDriftHistory(dataSource);
        var t = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        await history.SaveAsync(DriftReports.Key, DriftReports.Skipped(t));
        await history.SaveAsync(DriftReports.Key, DriftReports.Drifted(t.AddHours(1)));

        await using var command = dataSource.CreateCommand(
            "SELECT model_id, machine_id, checked_at, drift_detected, drift_score, reference_size, current_size, skipped_reason, drift_details::text " +
            "FROM model_drift_checks ORDER BY checked_at");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("No reference yet.", reader.GetString(7));
        Assert.Equal("""{"features": [], "conceptDrift": {"detected": false, "detector": "PAGE_HINKLEY", "detectedAt": null, "samplesSinceReset": 3}}""",
            reader.GetString(8));
        Assert.True(await reader.ReadAsync());
        Assert.Equal((DriftReports.Key.ModelId, DriftReports.Key.MachineId, t.AddHours(1), true, 0.5, 200, 150, true),
            (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2), reader.GetBoolean(3), reader.GetDouble(4),
             reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7)));
        var details = JsonNode.Parse(reader.GetString(8))!;
        Assert.Equal(["temp", "shift"], details["features"]!.AsArray().Select(f => f!["feature"]!.GetValue<string>()));
        Assert.Equal("CATEGORICAL", details["features"]![1]!["kind"]!.GetValue<string>());
        Assert.Equal(0.001, details["features"]![0]!["ksPValue"]!.GetValue<double>());
        // NaN has no JSON spelling; it is stored as null.
        Assert.Null(details["features"]![1]!["chiSquaredPValue"]);
        Assert.Equal(42, details["conceptDrift"]!["samplesSinceReset"]!.GetValue<int>());
        Assert.Equal(t.AddMinutes(55), details["conceptDrift"]!["detectedAt"]!.GetValue<DateTime>());
        Assert.False(await reader.ReadAsync());
    }
}
