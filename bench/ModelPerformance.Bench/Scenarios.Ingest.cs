using ModelPerformance.Testing;
using System.Diagnostics;
using System.Text.Json;
using ModelPerformance.Bench;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Monitors;
using Npgsql;
using NpgsqlTypes;

/// <summary>ingest-pg: the service's durable ingest against COPY of the same rows on the same server.</summary>
static partial class Scenarios
{
    // ---------------------------------------------------------------- ingest-pg
    /// <param name="args">"backfill" stamps the evaluations with hours long past, which the history also adds to its
    /// hourly aggregates; by default they are live (the last two minutes), as monitored models send them.</param>
    public static async Task IngestPgAsync(string[] args)
    {
        var backfill = args.Contains("backfill");
        // "covered": the backfill's hours are ones a trend by hours has already aggregated, so each late row is also
        // added to its hour's aggregate; without it no trend has covered them and a later one sums them from the rows.
        var covered = backfill && args.Contains("covered");
        var rounds = args.FirstOrDefault(a => a.StartsWith("rounds=", StringComparison.Ordinal)) is { } r ? int.Parse(r["rounds=".Length..]) : 3;
        const int monitors = 1000;
        const int warmBatches = 30;      // untimed batches per variant, so every variant is measured warm
        const int batches = 300;         // measured batches per variant
        // Concurrent senders: the service and the COPY baseline are each measured at every count, and each is credited
        // with its best. Group commit gains from concurrency and a plain COPY does not, so one count would favour one side.
        var senderCounts = args.FirstOrDefault(a => a.StartsWith("senders=", StringComparison.Ordinal)) is { } n
            ? n["senders=".Length..].Split(',').Select(int.Parse).ToArray()
            : [1, 4, 8];
        // Past the first minute: the Orleans dashboard's grain profiler times every grain call for a minute after
        // start, and then only while someone views the dashboard.
        var warmUpTime = TimeSpan.FromSeconds(75);
        // PostgreSQL as users run it (fsync, synchronous_commit, full_page_writes on); "nondurable" turns them off, as the
        // figures before December were measured, and is reported only as a labelled extra.
        var durable = !args.Contains("nondurable");
        await using var pg = await ThrowawayPostgres.StartAsync(BenchPostgresSettings.ServerOptions +
            (durable ? " -c fsync=on -c synchronous_commit=on -c full_page_writes=on" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"));
        var connectionString = await pg.CreateDatabaseAsync("ingest");
        await using var service = await BenchService.StartAsync(connectionString);
        using var http = NewHttpClient(service);
        var start = backfill ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : DateTime.UtcNow.AddMinutes(-2);
        // The months the rows fall in have their partitions before either side writes (the service creates a missing one itself).
        await using (var partitions = new NpgsqlConnection(connectionString))
        {
            await partitions.OpenAsync();
            await using var ensure = new NpgsqlCommand("SELECT model_history_ensure_partitions('model_performance_metrics', @s, @s + interval '1 month')", partitions);
            ensure.Parameters.AddWithValue("s", start);
            await ensure.ExecuteNonQueryAsync();
            if (covered)
            {
                // As a trend by hours leaves it: every monitor's hourly aggregates complete until after the day.
                await using var coverage = new NpgsqlCommand(
                    "INSERT INTO model_metric_hourly_coverage (model_id, machine_id, covered_until) " +
                    "SELECT 'm' || lpad(i::text, 4, '0'), @machine, @until FROM generate_series(0, @monitors - 1) AS i", partitions);
                coverage.Parameters.AddWithValue("machine", MachineId);
                coverage.Parameters.AddWithValue("until", start.AddDays(2));
                coverage.Parameters.AddWithValue("monitors", monitors);
                await coverage.ExecuteNonQueryAsync();
            }
        }
        Console.WriteLine($"ingest-pg: PostgreSQL {(durable ? "with its durable defaults" : "WITHOUT durability (fsync, synchronous_commit, full_page_writes off)")}; " +
                          $"evaluations stamped {(backfill ? $"over a day in January (backfill), {(covered ? "hours covered by the hourly aggregates" : "hours no trend has covered")}" : "within the last two minutes (live)")}; " +
                          $"{warmBatches} warm-up and {batches} measured batches of {monitors} per variant, at {string.Join(" and ", senderCounts)} concurrent senders");

        // A backfill spreads a variant's batches over one day of January (each batch one instant, its 1,000 monitors' rows).
        DateTime Stamp(int b) => backfill ? start.AddMinutes(b * 1440.0 / batches) : start.AddMilliseconds(100 * b);

        // One batch = one evaluation for each of the 1,000 monitors.
        object[] Inputs(string variant, int b) => Enumerable.Range(0, monitors).Select(i => (object)new
        {
            evaluationId = $"{variant}-{b}-{i}",
            modelId = $"m{i:D4}",
            machineId = MachineId,
            modelType = "bench",
            evaluatedAt = Stamp(b),
            sampleCount = 100,
            metrics = new { rSquared = 0.9, rmse = 1.0 + i % 7, mae = 0.8, mape = 5.0 },
        }).ToArray();
        byte[] Body(string variant, int b) => JsonSerializer.SerializeToUtf8Bytes(new
        {
            query = "mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted duplicates } }",
            variables = new { inputs = Inputs(variant, b) },
        }, Json);

        // Watch the server's client connections (opened before the load, so it still works when the server is full).
        var peak = 0L;
        var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            await using var watch = new NpgsqlConnection(connectionString);
            await watch.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", watch);
            while (!watching.IsCancellationRequested)
            {
                peak = Math.Max(peak, (long)(await count.ExecuteScalarAsync())!);
                await Task.Delay(50);
            }
        });

        // Each variant: warm-up batches, an emptied table, then the measured batches, with the process's CPU time
        // and allocations per evaluation (service and load generator together, PostgreSQL not included).
        async Task<double> VariantAsync(string name, int senders, Func<string, int, Task> send)
        {
            await RunBatchesAsync(warmBatches, senders, b => send("warm-" + name, b));
            await TruncateAsync(connectionString);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(false);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var paused = GC.GetTotalPauseDuration();
            var machine = MachineCpu.Read();
            var database = PostgresCpu.Read();
            var xids = await NextTransactionIdAsync(connectionString);
            var seconds = await RunBatchesAsync(batches, senders, b => send(name, b));
            var transactions = await NextTransactionIdAsync(connectionString) - xids;
            var machineBusy = MachineCpu.Read().BusySince(machine);
            var databaseCpu = PostgresCpu.Read() - database;
            var evaluations = batches * (double)monitors;
            var rate = evaluations / seconds;
            var line = $"ingest-pg {name}, {senders} senders: {batches} batches x {monitors} in {seconds:F2} s = {rate:F0} evaluations/s; " +
                       $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / evaluations:F1} us CPU in this process " +
                       $"and {databaseCpu.TotalMicroseconds / evaluations:F1} us in PostgreSQL, " +
                       $"{(GC.GetTotalAllocatedBytes(false) - allocated) / evaluations:F0} B allocated per evaluation in this process; " +
                       $"{transactions} writing transactions ({evaluations / Math.Max(1, transactions):F0} evaluations each); " +
                       $"GC gen0/1/2 {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}, " +
                       $"paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms; machine CPU busy {machineBusy:P0} of {Environment.ProcessorCount} cores";
            Console.WriteLine(line);
            await TruncateAsync(connectionString);
            return rate;
        }

        // The service warms up first (the monitors' activation, the JIT's optimised code, the thread pool), so that
        // every variant is measured in a steady state: the first variant measured right after start-up was 1.5-2x
        // slower than the same variant measured later in the same run.
        var warmUntil = DateTime.UtcNow + warmUpTime;
        for (var round = 0; DateTime.UtcNow < warmUntil; round++)
        {
            await RunBatchesAsync(senderCounts.Max(), senderCounts.Max(), s => PostGraphQLAsync(http, Body($"start-{round}", s)));
        }
        await TruncateAsync(connectionString);

        // The service's variant and the COPY baseline alternate for several rounds, each round measuring both, so a
        // slow stretch of the machine (these 2 cores also run PostgreSQL and the load) weighs on both sides of a
        // round's ratio. The figures are the medians over the rounds.
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var graphqlRates = new List<double>();
        var copyRates = new List<double>();
        var ratios = new List<double>();
        var sameSendersRatios = senderCounts.ToDictionary(c => c, _ => new List<double>());
        var sameSendersTextRatios = senderCounts.ToDictionary(c => c, _ => new List<double>());
        var textCopyRates = new List<double>();
        double grainRate = 0, writerRate = 0, gatewayRate = 0;
        for (var round = 1; round <= rounds; round++)
        {
            double bestGraphql = 0, bestCopy = 0, bestTextCopy = 0;
            foreach (var senders in senderCounts)
            {
                // Variant 1: GraphQL over HTTP, one mutation per batch, acknowledged after commit. Bodies are built beforehand.
                var name = $"graphql-{round}-{senders}";
                var bodies = new Dictionary<string, byte[][]>
                {
                    ["warm-" + name] = Enumerable.Range(0, warmBatches).Select(b => Body("warm-" + name, b)).ToArray(),
                    [name] = Enumerable.Range(0, batches).Select(b => Body(name, b)).ToArray(),
                };
                var graphqlRate = await VariantAsync(name, senders, (variant, b) => PostGraphQLAsync(http, bodies[variant][b]));

                // Baseline: raw binary COPY of the same rows, one COPY + commit per 1,000-row batch, as many senders.
                var copyRate = await VariantAsync($"baseline-copy-{round}", senders, (_, b) => CopyEvaluationsAsync(dataSource, b, monitors, Stamp));
                // Baseline as the operations issue measured it: a text COPY of the same rows (PostgreSQL parses the text).
                var textCopyRate = await VariantAsync($"baseline-text-copy-{round}", senders, (_, b) => CopyEvaluationsAsTextAsync(dataSource, b, monitors, Stamp));
                sameSendersRatios[senders].Add(graphqlRate / copyRate);
                sameSendersTextRatios[senders].Add(graphqlRate / textCopyRate);
                bestGraphql = Math.Max(bestGraphql, graphqlRate);
                bestCopy = Math.Max(bestCopy, copyRate);
                bestTextCopy = Math.Max(bestTextCopy, textCopyRate);
            }
            graphqlRates.Add(bestGraphql);
            copyRates.Add(bestCopy);
            textCopyRates.Add(bestTextCopy);
            ratios.Add(bestGraphql / bestCopy);
            Console.WriteLine($"ingest-pg round {round}: best graphql {bestGraphql:F0} ev/s / best copy {bestCopy:F0} rows/s = {bestGraphql / bestCopy:F2}; " +
                              $"/ best text copy {bestTextCopy:F0} rows/s = {bestGraphql / bestTextCopy:F2}");
            if (round > 1)
            {
                continue;
            }

            // Diagnostic, first round only: grain calls, each batch = 1,000 concurrent RecordEvaluationsAsync calls of one evaluation each.
            var grains = Enumerable.Range(0, monitors).Select(i => service.Grains.GetGrain<IModelMonitorGrain>($"m{i:D4}/{MachineId}")).ToArray();
            grainRate = await VariantAsync("grain-calls", senderCounts[0], async (variant, b) =>
            {
                var calls = new Task[monitors];
                for (var i = 0; i < monitors; i++)
                {
                    calls[i] = grains[i].RecordEvaluationsAsync([new EvaluationInput($"{variant}-{b}-{i}", "bench", null, null, Stamp(b), 100,
                        new MetricSet(RSquared: 0.9, Rmse: 1.0 + i % 7, Mae: 0.8, Mape: 5.0))]);
                }
                await Task.WhenAll(calls);
            });

            // Diagnostic, first round only: the history writer alone (group commit), 1,000 concurrent single-row appends per batch.
            var writer = service.Services.GetRequiredService<IHistoryWriter>();
            var writerSeq = 1_000_000L;
            writerRate = await VariantAsync("history-writer-direct", senderCounts[0], async (variant, b) =>
            {
                var calls = new Task[monitors];
                for (var i = 0; i < monitors; i++)
                {
                    var key = new MonitorKey($"m{i:D4}", MachineId);
                    var evaluation = new Evaluation(Guid.CreateVersion7(), key.ModelId, key.MachineId, null, Stamp(b), 100,
                        new MetricSet(RSquared: 0.9, Rmse: 1.0 + i % 7, Mae: 0.8, Mape: 5.0));
                    calls[i] = writer.AppendAsync(key, [new EvaluationRow(evaluation, "bench", Interlocked.Increment(ref writerSeq), $"{variant}-{b}-{i}", EvaluationSource.Recorded)], null);
                }
                await Task.WhenAll(calls);
            });

            // Diagnostic, first round only: the service below HTTP and GraphQL (task check, lanes, grain calls, writer),
            // one gateway call per batch of the same 1,000 inputs, at the most senders: the ceiling of any faster way
            // of reading a request into inputs.
            var gateway = service.Services.GetRequiredService<ModelPerformance.GraphQL.Monitors.MonitorGateway>();
            (MonitorKey, EvaluationInput)[] GatewayInputs(string variant, int b) => Enumerable.Range(0, monitors)
                .Select(i => (new MonitorKey($"m{i:D4}", MachineId), new EvaluationInput($"{variant}-{b}-{i}", "bench", null, null, Stamp(b), 100,
                    new MetricSet(RSquared: 0.9, Rmse: 1.0 + i % 7, Mae: 0.8, Mape: 5.0))))
                .ToArray();
            var gatewayBatches = new Dictionary<string, (MonitorKey, EvaluationInput)[][]>
            {
                ["warm-gateway-direct"] = Enumerable.Range(0, warmBatches).Select(b => GatewayInputs("warm-gateway-direct", b)).ToArray(),
                ["gateway-direct"] = Enumerable.Range(0, batches).Select(b => GatewayInputs("gateway-direct", b)).ToArray(),
            };
            gatewayRate = await VariantAsync("gateway-direct", senderCounts.Max(), (variant, b) => gateway.RecordEvaluationsAsync(gatewayBatches[variant][b], "inputs"));
        }
        var sw = Stopwatch.StartNew();
        await CopyEvaluationsAsync(dataSource, -1, batches * monitors, Stamp);
        var oneCopyRate = batches * (double)monitors / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"ingest-pg baseline COPY (all {batches * monitors} rows in one COPY): {sw.Elapsed.TotalSeconds:F2} s, {oneCopyRate:F0} rows/s");
        watching.Cancel();
        await watcher;
        Console.WriteLine($"ingest-pg peak client connections on the server over the whole run: {peak}");
        var (gqlRate, copyMedian) = (MathNet.Numerics.Statistics.Statistics.Median(graphqlRates), MathNet.Numerics.Statistics.Statistics.Median(copyRates));
        Console.WriteLine($"RESULT ingest-pg {(durable ? "durable" : "NONDURABLE")} {(backfill ? covered ? "backfill (covered hours)" : "backfill" : "live")} over {rounds} rounds, medians of each side's best: graphql {gqlRate:F0} ev/s; copy {copyMedian:F0} rows/s; " +
                          $"ratio graphql/copy {MathNet.Numerics.Statistics.Statistics.Median(ratios):F2} (rounds: {string.Join(", ", ratios.Select(r => r.ToString("F2")))}); " +
                          $"at equal senders: {AtEqualSenders(sameSendersRatios)}; " +
                          $"text copy {MathNet.Numerics.Statistics.Statistics.Median(textCopyRates):F0} rows/s, at equal senders against it: {AtEqualSenders(sameSendersTextRatios)}; " +
                          $"first round only: grain {grainRate:F0} ev/s, writer-direct {writerRate:F0} rows/s, gateway-direct {gatewayRate:F0} ev/s at {senderCounts.Max()} senders; graphql/one-copy {gqlRate / oneCopyRate:F2}");
    }

    /// <summary>The median ratio at each sender count, for the result line.</summary>
    private static string AtEqualSenders(Dictionary<int, List<double>> ratios) =>
        string.Join(", ", ratios.Select(p => $"{p.Key} senders {MathNet.Numerics.Statistics.Statistics.Median(p.Value):F2}"));

    /// <summary>Row r of baseline batch b (b &lt; 0: one COPY of many batches), the same rows for the binary and the text COPY.</summary>
    private readonly record struct BaselineRow(Guid Id, string ModelId, long Seq, string EvaluationId, DateTime EvaluatedAt, double Rmse, Guid KeyId)
    {
        public static BaselineRow Of(int b, int r, Func<int, DateTime> stamp)
        {
            var i = r % 1000;
            var batch = b < 0 ? r / 1000 : b;
            return new BaselineRow(Guid.CreateVersion7(), $"m{i:D4}", batch + 1, $"copy-{b}-{r}", stamp(batch), 1.0 + i % 7, Guid.CreateVersion7());
        }
    }

    /// <param name="stamp">evaluated_at of a batch's rows, the same as the service's variants use.</param>
    private static async Task CopyEvaluationsAsync(NpgsqlDataSource dataSource, int b, int rows, Func<int, DateTime> stamp)
    {
        var baseline = Enumerable.Range(0, rows).Select(r => BaselineRow.Of(b, r, stamp)).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY model_performance_metrics ({PostgresHistoryWriter.EvaluationColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            // Synchronous writes, as the service's history writer makes them: they only fill the importer's buffer.
            var now = DateTime.UtcNow;
            foreach (var row in baseline)
            {
                copy.StartRow();
                copy.Write(row.Id, NpgsqlDbType.Uuid);
                copy.Write(row.ModelId, NpgsqlDbType.Text);
                copy.Write(MachineId, NpgsqlDbType.Text);
                copy.Write("bench", NpgsqlDbType.Text);
                copy.WriteNull();
                copy.Write(row.Seq, NpgsqlDbType.Bigint);
                copy.Write(row.EvaluationId, NpgsqlDbType.Text);
                copy.Write("RECORDED", NpgsqlDbType.Text);
                copy.Write(row.EvaluatedAt, NpgsqlDbType.TimestampTz);
                copy.Write(now, NpgsqlDbType.TimestampTz);
                copy.Write(100, NpgsqlDbType.Integer);
                copy.Write(0.9, NpgsqlDbType.Double);
                copy.Write(row.Rmse, NpgsqlDbType.Double);
                copy.Write(0.8, NpgsqlDbType.Double);
                copy.Write(5.0, NpgsqlDbType.Double);
                copy.WriteNull();
                copy.WriteNull();
                copy.WriteNull();
                copy.WriteNull();
            }
            await copy.CompleteAsync();
        }
        // The evaluation ids' keys, which the service writes beside its rows in the same transaction.
        await using (var keys = await connection.BeginBinaryImportAsync($"COPY model_evaluation_keys ({PostgresHistoryWriter.KeyColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in baseline)
            {
                keys.StartRow();
                keys.Write(row.ModelId, NpgsqlDbType.Text);
                keys.Write(MachineId, NpgsqlDbType.Text);
                keys.Write(row.EvaluationId, NpgsqlDbType.Text);
                keys.Write(row.KeyId, NpgsqlDbType.Uuid);
                keys.Write(row.EvaluatedAt, NpgsqlDbType.TimestampTz);
            }
            await keys.CompleteAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>The same rows and keys as <see cref="CopyEvaluationsAsync"/> in COPY's text format.</summary>
    private static async Task CopyEvaluationsAsTextAsync(NpgsqlDataSource dataSource, int b, int rows, Func<int, DateTime> stamp)
    {
        var baseline = Enumerable.Range(0, rows).Select(r => BaselineRow.Of(b, r, stamp)).ToArray();
        static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = Time(DateTime.UtcNow);
        await using (var copy = await connection.BeginTextImportAsync($"COPY model_performance_metrics ({PostgresHistoryWriter.EvaluationColumns}) FROM STDIN"))
        {
            // Synchronous writes into the importer's buffer, as the binary baseline makes them.
            foreach (var row in baseline)
            {
                copy.Write(FormattableString.Invariant(
                    $"{row.Id}\t{row.ModelId}\t{MachineId}\tbench\t\\N\t{row.Seq}\t{row.EvaluationId}\tRECORDED\t{Time(row.EvaluatedAt)}\t{now}\t100\t0.9\t{row.Rmse:R}\t0.8\t5\t\\N\t\\N\t\\N\t\\N\n"));
            }
        }
        await using (var keys = await connection.BeginTextImportAsync($"COPY model_evaluation_keys ({PostgresHistoryWriter.KeyColumns}) FROM STDIN"))
        {
            foreach (var row in baseline)
            {
                keys.Write(FormattableString.Invariant($"{row.ModelId}\t{MachineId}\t{row.EvaluationId}\t{row.KeyId}\t{Time(row.EvaluatedAt)}\n"));
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>The server's next transaction id: how many writing transactions ran in between, without taking an id itself.</summary>
    private static async Task<long> NextTransactionIdAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task TruncateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE model_performance_metrics, model_evaluation_keys; CHECKPOINT", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs batches 0..count-1 with <paramref name="senders"/> concurrent senders; returns elapsed seconds.</summary>
    private static async Task<double> RunBatchesAsync(int count, int senders, Func<int, Task> send)
    {
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < count)
            {
                await send(b);
            }
        })));
        return sw.Elapsed.TotalSeconds;
    }
}
