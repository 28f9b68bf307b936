using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Monitors;

/// <summary>Checks that run on the monitor's reminder, with one "minute" of its intervals shortened to a second.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PeriodicCheckTests(PostgresServer postgres)
{
    private static readonly Dictionary<string, string?> OneSecondMinutes = new() { ["Monitors:CheckIntervalUnit"] = "00:00:01" };

    private static PredictionBatch Samples(Random random, int count, double shift) =>
        new(null, null, null, null, Enumerable.Range(0, count).Select(_ =>
        {
            var actual = 50 + random.NextDouble();
            return new PredictionSample(null, actual + random.NextDouble(), actual, null, null,
                new Dictionary<string, FeatureValue> { ["pressure"] = FeatureValue.Of(shift + random.NextDouble()) });
        }).ToList());

    [Fact]
    public async Task The_reminder_opens_a_drift_alert_and_later_resolves_it_without_any_check_call()
    {
        await using var service = await RunningService.StartAsync(await postgres.CreateDatabaseAsync("reminders"), settings: OneSecondMinutes);
        var key = new MonitorKey("anomaly", "press-3");
        var monitor = service.Grains.GetGrain<IModelMonitorGrain>(key.ToString());
        var alerts = service.Services.GetRequiredService<IAlertStore>();
        var random = new Random(11);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { CheckIntervalMinutes = 1, ReferenceSize = 200, WindowSize = 200, MinSamples = 100, NoDataMinutes = 0 });
        await monitor.RecordPredictionsAsync(Samples(random, 200, 0));
        await monitor.RecordPredictionsAsync(Samples(random, 200, 5));

        var opened = await Eventually.MatchAsync(
            () => alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.DataDrift), 10),
            found => found.Count == 1, TimeSpan.FromSeconds(30), "a DATA_DRIFT alert opened by the periodic check");
        await monitor.RecordPredictionsAsync(Samples(random, 200, 0));
        var resolved = await Eventually.MatchAsync(
            () => alerts.GetAsync(opened[0].Id),
            alert => alert?.Status == AlertStatus.Resolved, TimeSpan.FromSeconds(30), "the DATA_DRIFT alert resolved by the periodic check");

        Assert.Equal("system", resolved!.ResolvedBy);
    }

    [Fact]
    public async Task The_reminder_opens_a_no_data_alert_when_nothing_arrives_and_data_closes_it()
    {
        await using var service = await RunningService.StartAsync(await postgres.CreateDatabaseAsync("nodata"), settings: OneSecondMinutes);
        var key = new MonitorKey("baseline", "chiller-9");
        var monitor = service.Grains.GetGrain<IModelMonitorGrain>(key.ToString());
        var alerts = service.Services.GetRequiredService<IAlertStore>();
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { CheckIntervalMinutes = 1, NoDataMinutes = 2 });
        await monitor.RecordPredictionsAsync(Samples(new Random(12), 5, 0));

        var opened = await Eventually.MatchAsync(
            () => alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.NoData), 10),
            found => found.Count == 1, TimeSpan.FromSeconds(30), "a NO_DATA alert opened by the periodic check");
        await monitor.RecordPredictionsAsync(Samples(new Random(13), 5, 0));

        Assert.Equal(AlertStatus.Resolved, (await alerts.GetAsync(opened[0].Id))!.Status);
    }
}
