using System.Text.Json.Nodes;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Silo.Persistence;
using ModelPerformance.Tests.Notifications;
using ModelPerformance.Tests.Infrastructure;
using Npgsql;

namespace ModelPerformance.Tests.Alerts;

/// <summary>What every alert store does; the PostgreSQL and in-memory stores run the same facts.</summary>
public abstract class AlertStoreContract
{
    private static readonly DateTime T0 = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    protected abstract IAlertStore Store { get; }

    public static Alert NewAlert(string modelId = "m-1", string machineId = "press-1", AlertType type = AlertType.Degradation,
        Severity severity = Severity.Warning, AlertStatus status = AlertStatus.Open, int minutes = 0, string modelType = "energy") =>
        new(Guid.NewGuid(), modelId, machineId, modelType, type, severity, status, $"{type} on {modelId}",
            """{"metric": "MAE", "relativeChange": 0.5}""", T0.AddMinutes(minutes), T0.AddMinutes(minutes + 1), 1,
            null, null, null, null, null);

    [Fact]
    public async Task A_saved_alert_reads_back_by_id_with_every_field()
    {
        var alert = NewAlert() with
        {
            Status = AlertStatus.Resolved,
            Occurrences = 3,
            AcknowledgedAt = T0.AddMinutes(2),
            ResolvedAt = T0.AddMinutes(3),
            ResolvedBy = "ops",
            ResolutionNote = "retrained",
            AutoAction = "retrain:job-1",
        };
        await Store.SaveAsync(alert);

        var read = await Store.GetAsync(alert.Id);

        Assert.NotNull(read);
        Assert.Equal(alert with { DetailsJson = null }, read with { DetailsJson = null });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(alert.DetailsJson!), JsonNode.Parse(read.DetailsJson!)));
        Assert.Equal(DateTimeKind.Utc, read.CreatedAt.Kind);
    }

    [Fact]
    public async Task An_alert_without_details_reads_back_without_details()
    {
        var alert = NewAlert(modelId: "no-details") with { DetailsJson = null };
        await Store.SaveAsync(alert);

        Assert.Null((await Store.GetAsync(alert.Id))!.DetailsJson);
    }

    [Fact]
    public async Task An_unknown_id_reads_as_null()
    {
        Assert.Null(await Store.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Saving_an_alert_again_replaces_it()
    {
        var alert = NewAlert(modelId: "upsert");
        await Store.SaveAsync(alert);
        var changed = alert with { Status = AlertStatus.Acknowledged, Severity = Severity.Critical, Occurrences = 2, AcknowledgedAt = T0.AddMinutes(5) };

        await Store.SaveAsync(changed);

        Assert.Equal(changed with { DetailsJson = null }, (await Store.GetAsync(alert.Id))! with { DetailsJson = null });
        Assert.Equal([alert.Id], (await Store.QueryAsync(new AlertFilter(ModelId: "upsert"), 10)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_query_returns_the_newest_alerts_first_up_to_first()
    {
        var alerts = Enumerable.Range(0, 5)
            .Select(i => NewAlert(modelId: "order", machineId: $"press-{i}", minutes: i * 10))
            .ToList();
        foreach (var alert in alerts.OrderBy(_ => Guid.NewGuid()))
        {
            await Store.SaveAsync(alert);
        }

        var all = await Store.QueryAsync(new AlertFilter(ModelId: "order"), 100);
        var two = await Store.QueryAsync(new AlertFilter(ModelId: "order"), 2);

        Assert.Equal(alerts.AsEnumerable().Reverse().Select(a => a.Id), all.Select(a => a.Id));
        Assert.Equal(all.Take(2).Select(a => a.Id), two.Select(a => a.Id));
    }

    [Fact]
    public async Task Alerts_created_at_the_same_instant_come_in_the_same_order_every_time()
    {
        var alerts = Enumerable.Range(0, 6).Select(i => NewAlert(modelId: "tie", machineId: $"press-{i}")).ToList();
        foreach (var alert in alerts)
        {
            await Store.SaveAsync(alert);
        }

        var result = await Store.QueryAsync(new AlertFilter(ModelId: "tie"), 100);

        var expected = alerts.Select(a => a.Id).OrderByDescending(id => id.ToString(), StringComparer.Ordinal);
        Assert.Equal(expected, result.Select(a => a.Id));
    }

    [Fact]
    public async Task Each_filter_selects_only_the_matching_alerts()
    {
        const string model = "filters";
        var open = NewAlert(modelId: model, machineId: "press-1", type: AlertType.Degradation, severity: Severity.Critical, minutes: 1);
        var acknowledged = NewAlert(modelId: model, machineId: "press-2", type: AlertType.DataDrift, status: AlertStatus.Acknowledged, minutes: 2);
        var resolved = NewAlert(modelId: model, machineId: "press-1", type: AlertType.Degradation, status: AlertStatus.Resolved, minutes: 3);
        var otherType = NewAlert(modelId: model, machineId: "press-3", type: AlertType.NoData, modelType: "vision", minutes: 4);
        var otherModel = NewAlert(modelId: "filters-other", machineId: "press-1", minutes: 5) with { ModelType = "filters-type" };
        foreach (var alert in new[] { open, acknowledged, resolved, otherType, otherModel })
        {
            await Store.SaveAsync(alert);
        }

        async Task<Guid[]> Ids(AlertFilter filter) => (await Store.QueryAsync(filter, 100))
            .Where(a => a.ModelId.StartsWith(model, StringComparison.Ordinal)).Select(a => a.Id).ToArray();

        Assert.Equal([open.Id], await Ids(new AlertFilter(ModelId: model, Status: AlertStatus.Open, MachineId: "press-1")));
        Assert.Equal([acknowledged.Id], await Ids(new AlertFilter(ModelId: model, Status: AlertStatus.Acknowledged)));
        Assert.Equal([resolved.Id], await Ids(new AlertFilter(ModelId: model, Status: AlertStatus.Resolved)));
        Assert.Equal([open.Id], await Ids(new AlertFilter(ModelId: model, Severity: Severity.Critical)));
        Assert.Equal([acknowledged.Id], await Ids(new AlertFilter(ModelId: model, Type: AlertType.DataDrift)));
        Assert.Equal([otherModel.Id, resolved.Id, open.Id], await Ids(new AlertFilter(MachineId: "press-1")));
        Assert.Equal([otherType.Id], await Ids(new AlertFilter(ModelType: "vision")));
        Assert.Equal([otherModel.Id], await Ids(new AlertFilter(ModelId: "filters-other")));
        Assert.Equal([resolved.Id, open.Id], await Ids(new AlertFilter(Type: AlertType.Degradation, MachineId: "press-1", ModelType: "energy")));
        Assert.Empty(await Ids(new AlertFilter(ModelId: model, Type: AlertType.TrainingFailed)));
    }
}

public sealed class InMemoryAlertStoreTests : AlertStoreContract
{
    protected override IAlertStore Store { get; } = NotificationStores.InMemory().Alerts;
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAlertStoreTests(PostgresServer postgres) : AlertStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    protected override IAlertStore Store => NotificationStores.Postgres(dataSource!).Alerts;

    public async Task InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("alerts"));
        await new Migrator(dataSource).MigrateAsync();
    }

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    [Fact]
    public async Task Enums_are_stored_by_their_contract_names()
    {
        var alert = NewAlert(modelId: "names", type: AlertType.AbTestCompleted, severity: Severity.Info, status: AlertStatus.Acknowledged);
        await Store.SaveAsync(alert);

        await using var command = dataSource!.CreateCommand("SELECT type, severity, status, jsonb_typeof(details) FROM model_alerts WHERE id = @id");
        command.Parameters.AddWithValue("id", alert.Id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("AB_TEST_COMPLETED", "INFO", "ACKNOWLEDGED", "object"), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
    }
}
