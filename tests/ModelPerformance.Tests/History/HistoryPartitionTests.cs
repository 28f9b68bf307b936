using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.History;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;
using static ModelPerformance.Testing.DataSourceSql;

namespace ModelPerformance.Tests.History;

[Collection(PostgresCollection.Name)]
public sealed class HistoryPartitionTests(PostgresServer postgres)
{
    /// <summary>The version before the history tables were partitioned: what a database of an earlier release holds.</summary>
    private const int UnpartitionedVersion = 10;

    private const string Record = """
        mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id evaluatedAt metrics { rmse } } }
        """;

    [Fact]
    public async Task Migrating_a_populated_database_partitions_the_history_without_losing_or_changing_a_row()
    {
        var connectionString = await postgres.CreateDatabaseAsync("partition_migration");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new Migrator(dataSource);
        Assert.Equal(Enumerable.Range(1, UnpartitionedVersion), await migrator.MigrateToAsync(UnpartitionedVersion));
        // 30,000 evaluations over 25 months (one in three with an evaluation id) and 3,000 drift checks over 4 months.
        await ExecuteAsync(dataSource, """
            INSERT INTO model_performance_metrics (id, model_id, machine_id, model_type, seq, evaluation_id, source, evaluated_at, recorded_at, rmse, mae)
            SELECT gen_random_uuid(), 'm' || (i % 7), 'press-' || (i % 3), 'default', i, CASE WHEN i % 3 = 0 THEN 'e-' || i END, 'RECORDED',
                   timestamptz '2024-11-15 00:00:00Z' + i * interval '37 minutes', now(), (i % 101) * 0.25, CASE WHEN i % 2 = 0 THEN i * 0.5 END
            FROM generate_series(1, 30000) AS i;
            INSERT INTO model_drift_checks (model_id, machine_id, checked_at, drift_detected, drift_score, reference_size, current_size, drift_details)
            SELECT 'm' || (i % 7), 'press-1', timestamptz '2026-08-20 00:00:00Z' + i * interval '1 hour', i % 5 = 0, i * 0.001, 500, 200, '{"features":[]}'
            FROM generate_series(1, 3000) AS i;
            """);
        const string evaluations = "SELECT count(*)::text || ':' || md5(string_agg(t::text, '|' ORDER BY t.id)) FROM model_performance_metrics t";
        const string checks = "SELECT count(*)::text || ':' || md5(string_agg(t::text, '|' ORDER BY t.id)) FROM model_drift_checks t";
        var evaluationsBefore = await ScalarAsync<string>(dataSource, evaluations);
        var checksBefore = await ScalarAsync<string>(dataSource, checks);
        var lastCheckId = await ScalarAsync<long>(dataSource, "SELECT max(id) FROM model_drift_checks");

        Assert.Equal(Enumerable.Range(UnpartitionedVersion + 1, Migrator.LatestVersion - UnpartitionedVersion), await migrator.MigrateAsync());

        Assert.StartsWith("30000:", evaluationsBefore);
        Assert.Equal(evaluationsBefore, await ScalarAsync<string>(dataSource, evaluations));
        Assert.Equal(checksBefore, await ScalarAsync<string>(dataSource, checks));
        Assert.Equal(2L, await ScalarAsync<long>(dataSource,
            "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname IN ('model_performance_metrics', 'model_drift_checks')"));
        // Every month of the old rows has its partition, and each row sits in its month's.
        Assert.Equal(0L, await ScalarAsync<long>(dataSource,
            "SELECT count(*) FROM model_performance_metrics t WHERE t.tableoid::regclass::text <> model_history_partition_name('model_performance_metrics', date_trunc('month', t.evaluated_at AT TIME ZONE 'UTC'))"));
        Assert.True(await ScalarAsync<long>(dataSource,
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'model_performance_metrics'::regclass") >= 25);
        Assert.Equal(10000L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_evaluation_keys"));

        // The service runs on the converted tables: a migrated evaluation id is still taken, a new drift check's id follows the old ones.
        await using var service = await RunningService.StartAsync(connectionString);
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var again = await GraphQLServiceFixture.PostAsync(http, Record, new { input = new { modelId = "m3", machineId = "press-0", evaluationId = "e-3", metrics = new { rmse = 99.0 } } });
        Assert.True(again.Errors.Count == 0, again.Text);
        Assert.Equal(0.75, again.Data!["recordEvaluation"]!["metrics"]!["rmse"]!.GetValue<double>());
        Assert.Equal(evaluationsBefore, await ScalarAsync<string>(dataSource, evaluations));
        await ExecuteAsync(dataSource, """
            INSERT INTO model_drift_checks (model_id, machine_id, checked_at, drift_detected, drift_score, reference_size, current_size, drift_details)
            VALUES ('m1', 'press-1', now(), false, 0, 1, 1, '{}')
            """);
        Assert.True(await ScalarAsync<long>(dataSource, "SELECT max(id) FROM model_drift_checks") > lastCheckId);
    }

    [Fact]
    public async Task An_evaluation_for_a_month_without_a_partition_creates_it_and_an_evaluation_id_stays_unique_across_months()
    {
        var connectionString = await postgres.CreateDatabaseAsync("partition_backfill");
        await using var service = await RunningService.StartAsync(connectionString);
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Null(await ScalarAsync<string?>(dataSource, "SELECT to_regclass('model_performance_metrics_p200305')::text"));

        var old = await GraphQLServiceFixture.PostAsync(http, Record, new
        {
            input = new { modelId = "backfill", machineId = "kiln-1", evaluationId = "old-1", evaluatedAt = "2003-05-17T08:00:00Z", metrics = new { rmse = 2.5 } },
        });
        // The same id with another time (now, as when evaluatedAt is left out) is the same evaluation.
        var retried = await GraphQLServiceFixture.PostAsync(http, Record, new
        {
            input = new { modelId = "backfill", machineId = "kiln-1", evaluationId = "old-1", metrics = new { rmse = 7.0 } },
        });

        Assert.True(old.Errors.Count == 0, old.Text);
        Assert.True(retried.Errors.Count == 0, retried.Text);
        Assert.Equal(old.Data!["recordEvaluation"]!["id"]!.GetValue<string>(), retried.Data!["recordEvaluation"]!["id"]!.GetValue<string>());
        Assert.Equal(2.5, retried.Data!["recordEvaluation"]!["metrics"]!["rmse"]!.GetValue<double>());
        Assert.Equal("model_performance_metrics_p200305", await ScalarAsync<string>(dataSource,
            "SELECT tableoid::regclass::text FROM model_performance_metrics WHERE model_id = 'backfill'"));
        Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_performance_metrics WHERE model_id = 'backfill'"));
    }

    [Fact]
    public async Task Maintenance_creates_this_and_the_next_month_and_drops_only_the_months_past_retention()
    {
        var connectionString = await postgres.CreateDatabaseAsync("partition_retention");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource).MigrateAsync();
        // Far enough ahead that the months the migration created for the real date are past retention too.
        var now = new DateTime(2031, 3, 10, 12, 0, 0, DateTimeKind.Utc);
        // Evaluations from October 2030 to March 2031, drift checks from January to March 2031, one row a day.
        await ExecuteAsync(dataSource, """
            SELECT model_history_ensure_partitions('model_performance_metrics', '2030-10-01Z', '2031-03-01Z');
            SELECT model_history_ensure_partitions('model_drift_checks', '2031-01-01Z', '2031-03-01Z');
            INSERT INTO model_performance_metrics (id, model_id, machine_id, model_type, seq, evaluation_id, source, evaluated_at, recorded_at, rmse)
            SELECT gen_random_uuid(), 'kept', 'press-1', 'default', i, 'e-' || i, 'RECORDED', timestamptz '2030-10-01Z' + i * interval '1 day', now(), 1
            FROM generate_series(0, 159) AS i;
            INSERT INTO model_evaluation_keys (model_id, machine_id, evaluation_id, id, evaluated_at)
            SELECT model_id, machine_id, evaluation_id, id, evaluated_at FROM model_performance_metrics;
            INSERT INTO model_drift_checks (model_id, machine_id, checked_at, drift_detected, drift_score, reference_size, current_size, drift_details)
            SELECT 'kept', 'press-1', timestamptz '2031-01-01Z' + i * interval '1 day', false, 0, 1, 1, '{}' FROM generate_series(0, 68) AS i;
            """);
        var maintenance = new HistoryPartitionMaintenance(dataSource,
            Options.Create(new HistoryOptions { MetricsRetentionDays = 90, DriftCheckRetentionDays = 30 }), new FixedClock(now),
            NullLogger<HistoryPartitionMaintenance>.Instance);

        var (created, dropped) = await maintenance.RunOnceAsync();

        // Evaluations: 90 days before 10 March is 10 December, so October and November go and December stays.
        // Drift checks: 30 days before is 8 February, so January goes and February stays. April is created for both.
        Assert.Equal(2, created);
        Assert.True(dropped >= 3, $"dropped {dropped}");
        Assert.Equal(["p203012", "p203101", "p203102", "p203103", "p203104"], await PartitionsAsync(dataSource, "model_performance_metrics"));
        Assert.Equal(["p203102", "p203103", "p203104"], await PartitionsAsync(dataSource, "model_drift_checks"));
        Assert.Equal(new DateTime(2030, 12, 1, 0, 0, 0, DateTimeKind.Utc), await ScalarAsync<DateTime>(dataSource, "SELECT min(evaluated_at) FROM model_performance_metrics"));
        Assert.Equal(160L - 61, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_performance_metrics"));
        Assert.Equal(160L - 61, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_evaluation_keys"));
        Assert.Equal(69L - 31, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM model_drift_checks"));
        // No trend had read October and November: their hours were summed before their rows went.
        Assert.Equal(61m, await ScalarAsync<decimal>(dataSource, "SELECT sum(rmse_n) FROM model_metric_hourly WHERE hour < '2030-12-01Z'"));
        Assert.Equal((0, 0), await maintenance.RunOnceAsync());
    }

    [Fact]
    public async Task Silos_creating_the_same_months_at_once_all_succeed()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("partition_race"));
        await new Migrator(dataSource).MigrateAsync();
        var first = new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            HistoryPartitions.EnsureAsync(dataSource, HistoryPartitions.Metrics, Enumerable.Range(0, 12).Select(first.AddMonths)))));

        Assert.Equal(12, created.Sum());
        Assert.Equal(12, (await PartitionsAsync(dataSource, "model_performance_metrics")).Count(p => p.StartsWith("p2010", StringComparison.Ordinal)));
    }

    [Fact]
    public void Negative_retention_is_refused_by_name()
    {
        var problems = new HistoryOptions { MetricsRetentionDays = -1, DriftCheckRetentionDays = -5 }.Problems().ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("MetricsRetentionDays", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DriftCheckRetentionDays", StringComparison.Ordinal));
        Assert.Empty(new HistoryOptions().Problems());
    }

    private static async Task<List<string>> PartitionsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT right(c.relname, 7) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = @t::regclass ORDER BY c.relname");
        command.Parameters.AddWithValue("t", table);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
