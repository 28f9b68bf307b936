using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Training;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Training;

/// <summary>What every training job store does; the PostgreSQL and in-memory stores run the same facts.</summary>
public abstract class TrainingJobStoreContract
{
    private static readonly DateTime T0 = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    protected abstract ITrainingJobStore Store { get; }

    public static TrainingJob NewJob(string modelId = "m-1", string machineId = "press-1", TrainingStatus status = TrainingStatus.Pending,
        TrainingTrigger trigger = TrainingTrigger.Manual, int minutes = 0) =>
        new(Guid.NewGuid(), modelId, machineId, trigger, status, null, T0.AddMinutes(minutes), null, null, null, null, null,
            null, null, null, null, null);

    /// <summary>A job with every field set, metrics included, with values that only survive an exact round trip.</summary>
    public static TrainingJob CompleteJob(string modelId = "m-1") => NewJob(modelId) with
    {
        Trigger = TrainingTrigger.Degradation,
        Status = TrainingStatus.Succeeded,
        Reason = "MAE up 40%",
        StartedAt = T0.AddMinutes(1),
        CompletedAt = T0.AddMinutes(7).AddSeconds(30),
        PreviousVersion = "v1",
        NewVersion = "v1.r1",
        HyperparametersJson = """{"learningRate": 0.05, "layers": [64, 32], "early": {"stop": true, "patience": 3}}""",
        MetricsBefore = new MetricSet(RSquared: -0.25, Rmse: 1.0 / 3, Mae: 0.1, Mape: 12.5),
        MetricsAfter = new MetricSet(Accuracy: 0.9, Precision: 1e-7, Recall: 2.0 / 3, F1: 0.123456789012345),
        Improvement = 0.2,
        Error = "none, really",
        AbTestId = Guid.NewGuid(),
    };

    [Fact]
    public async Task A_saved_job_reads_back_by_id_with_every_field()
    {
        var job = CompleteJob();
        await Store.SaveAsync(job);

        var read = await Store.GetAsync(job.Id);

        Assert.NotNull(read);
        Assert.Equal(job with { HyperparametersJson = null }, read with { HyperparametersJson = null });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(job.HyperparametersJson!), JsonNode.Parse(read.HyperparametersJson!)));
        Assert.Equal(DateTimeKind.Utc, read.CreatedAt.Kind);
        Assert.Equal(DateTimeKind.Utc, read.StartedAt!.Value.Kind);
        Assert.Equal(DateTimeKind.Utc, read.CompletedAt!.Value.Kind);
    }

    [Fact]
    public async Task A_job_with_only_its_required_fields_reads_back_with_the_rest_null()
    {
        var job = NewJob(modelId: "bare");
        await Store.SaveAsync(job);

        Assert.Equal(job, await Store.GetAsync(job.Id));
    }

    [Fact]
    public async Task Metrics_with_some_values_null_read_back_with_the_same_ones_null()
    {
        var job = NewJob(modelId: "partial") with { MetricsBefore = new MetricSet(Rmse: 2.5), MetricsAfter = MetricSet.Empty };
        await Store.SaveAsync(job);

        var read = (await Store.GetAsync(job.Id))!;

        Assert.Equal(new MetricSet(Rmse: 2.5), read.MetricsBefore);
        Assert.Equal(MetricSet.Empty, read.MetricsAfter);
    }

    [Fact]
    public async Task An_unknown_id_reads_as_null()
    {
        await Store.SaveAsync(NewJob());

        Assert.Null(await Store.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Saving_a_job_again_replaces_it()
    {
        var job = NewJob(modelId: "upsert");
        await Store.SaveAsync(job);
        await Store.SaveAsync(job with { Status = TrainingStatus.Running, StartedAt = T0.AddMinutes(1) });
        var done = CompleteJob("upsert") with { Id = job.Id, Status = TrainingStatus.Failed, Error = "trainer unreachable" };

        await Store.SaveAsync(done);

        var read = (await Store.GetAsync(job.Id))!;
        Assert.Equal(done with { HyperparametersJson = null }, read with { HyperparametersJson = null });
        Assert.Equal([job.Id], (await Store.QueryAsync(new TrainingJobFilter(ModelId: "upsert"), 10)).Select(j => j.Id));
    }

    [Fact]
    public async Task A_query_returns_the_newest_jobs_first_up_to_first()
    {
        var jobs = Enumerable.Range(0, 5)
            .Select(i => NewJob(modelId: "order", machineId: $"press-{i}", minutes: i * 10))
            .ToList();
        foreach (var job in jobs.OrderBy(_ => Guid.NewGuid()))
        {
            await Store.SaveAsync(job);
        }

        var all = await Store.QueryAsync(new TrainingJobFilter(ModelId: "order"), 100);
        var two = await Store.QueryAsync(new TrainingJobFilter(ModelId: "order"), 2);

        Assert.Equal(jobs.AsEnumerable().Reverse().Select(j => j.Id), all.Select(j => j.Id));
        Assert.Equal(all.Take(2).Select(j => j.Id), two.Select(j => j.Id));
    }

    [Fact]
    public async Task Jobs_created_at_the_same_instant_come_by_id_descending()
    {
        var jobs = Enumerable.Range(0, 6).Select(_ => NewJob(modelId: "tie")).ToList();
        foreach (var job in jobs)
        {
            await Store.SaveAsync(job);
        }

        var result = await Store.QueryAsync(new TrainingJobFilter(ModelId: "tie"), 100);

        var expected = jobs.Select(j => j.Id).OrderByDescending(id => id.ToString(), StringComparer.Ordinal);
        Assert.Equal(expected, result.Select(j => j.Id));
    }

    [Fact]
    public async Task Each_filter_selects_only_the_matching_jobs()
    {
        var pending = NewJob(modelId: "filters", machineId: "press-1", status: TrainingStatus.Pending, minutes: 1);
        var running = NewJob(modelId: "filters", machineId: "press-2", status: TrainingStatus.Running, minutes: 2);
        var succeeded = NewJob(modelId: "filters", machineId: "press-1", status: TrainingStatus.Succeeded, minutes: 3);
        var otherModel = NewJob(modelId: "filters-other", machineId: "press-1", status: TrainingStatus.Running, minutes: 4);
        foreach (var job in new[] { pending, running, succeeded, otherModel })
        {
            await Store.SaveAsync(job);
        }

        async Task<Guid[]> Ids(TrainingJobFilter filter) => (await Store.QueryAsync(filter, 100)).Select(j => j.Id).ToArray();

        Assert.Equal([otherModel.Id, succeeded.Id, running.Id, pending.Id], await Ids(new TrainingJobFilter()));
        Assert.Equal([succeeded.Id, running.Id, pending.Id], await Ids(new TrainingJobFilter(ModelId: "filters")));
        Assert.Equal([otherModel.Id, succeeded.Id, pending.Id], await Ids(new TrainingJobFilter(MachineId: "press-1")));
        Assert.Equal([otherModel.Id, running.Id], await Ids(new TrainingJobFilter(Status: TrainingStatus.Running)));
        Assert.Equal([succeeded.Id, pending.Id], await Ids(new TrainingJobFilter(ModelId: "filters", MachineId: "press-1")));
        Assert.Equal([running.Id], await Ids(new TrainingJobFilter(ModelId: "filters", Status: TrainingStatus.Running)));
        Assert.Equal([pending.Id], await Ids(new TrainingJobFilter("filters", "press-1", TrainingStatus.Pending)));
        Assert.Empty(await Ids(new TrainingJobFilter("filters", "press-2", TrainingStatus.Pending)));
        Assert.Empty(await Ids(new TrainingJobFilter(Status: TrainingStatus.Cancelled)));
    }
}

public sealed class InMemoryTrainingJobStoreTests : TrainingJobStoreContract
{
    protected override ITrainingJobStore Store { get; } = new InMemoryTrainingJobStore();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrainingJobStoreTests(PostgresServer postgres) : TrainingJobStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    protected override ITrainingJobStore Store => new PostgresTrainingJobStore(dataSource!);

    public async Task InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("training"));
        await new Migrator(dataSource).MigrateAsync();
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task Enums_are_stored_by_their_contract_names_and_metrics_by_their_graphql_names()
    {
        var job = CompleteJob("names") with { Trigger = TrainingTrigger.Scheduled, Status = TrainingStatus.Cancelled };
        await Store.SaveAsync(job);

        await using var command = dataSource!.CreateCommand(
            "SELECT trigger, status, jsonb_typeof(hyperparameters), metrics_before::text, metrics_after::text FROM model_training_history WHERE id = @id");
        command.Parameters.AddWithValue("id", job.Id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("SCHEDULED", "CANCELLED", "object"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        var before = JsonNode.Parse("""
            {"rSquared": -0.25, "rmse": 0.3333333333333333, "mae": 0.1, "mape": 12.5,
             "accuracy": null, "precision": null, "recall": null, "f1": null}
            """);
        var after = JsonNode.Parse("""
            {"rSquared": null, "rmse": null, "mae": null, "mape": null,
             "accuracy": 0.9, "precision": 1e-7, "recall": 0.6666666666666666, "f1": 0.123456789012345}
            """);
        Assert.True(JsonNode.DeepEquals(before, JsonNode.Parse(reader.GetString(3))), reader.GetString(3));
        Assert.True(JsonNode.DeepEquals(after, JsonNode.Parse(reader.GetString(4))), reader.GetString(4));
    }
}
