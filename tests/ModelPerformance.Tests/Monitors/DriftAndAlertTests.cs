using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Tests.Monitors;

[Collection(InMemoryServiceCollection.Name)]
public sealed class DriftAndAlertTests(InMemoryServiceFixture fixture)
{
    private static MonitorKey NewKey() => new($"drift-{Guid.NewGuid():N}"[..30], "kiln-1");

    private IModelMonitorGrain Monitor(MonitorKey key) => fixture.Service.Grains.GetGrain<IModelMonitorGrain>(key.ToString());

    private IAlertStore Alerts => fixture.Service.Services.GetRequiredService<IAlertStore>();

    /// <summary>Regression samples whose feature "temp" is normal around <paramref name="shift"/>, with errors of scale <paramref name="error"/>.</summary>
    private static PredictionBatch Samples(Random random, int count, double shift, double error = 1, string? zone = null) =>
        new(null, null, null, null, Enumerable.Range(0, count).Select(_ =>
        {
            var actual = 100 + random.NextDouble() * 10;
            var features = new Dictionary<string, FeatureValue> { ["temp"] = FeatureValue.Of(shift + Normal(random)) };
            if (zone is not null)
            {
                features["zone"] = FeatureValue.Of(zone);
            }
            return new PredictionSample(null, actual + error * Normal(random), actual, null, null, features);
        }).ToList());

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public async Task A_check_before_the_reference_is_full_is_skipped_with_a_reason()
    {
        var key = NewKey();
        await Monitor(key).RecordPredictionsAsync(Samples(new Random(1), 50, 0));

        var report = await Monitor(key).CheckDriftAsync();

        Assert.False(report.DriftDetected);
        Assert.Contains("reference not full", report.SkippedReason);
        Assert.Equal(50, report.ReferenceSize);
    }

    [Fact]
    public async Task A_shifted_feature_is_detected_by_ks_and_opens_a_data_drift_alert_that_clears_when_it_returns()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        var random = new Random(2);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { ReferenceSize = 300, WindowSize = 300, MinSamples = 100, DriftShareThreshold = 0.5 });
        await monitor.RecordPredictionsAsync(Samples(random, 300, 0, zone: "north"));
        await monitor.RecordPredictionsAsync(Samples(random, 300, 3, zone: "south"));

        var drifted = await monitor.CheckDriftAsync();

        Assert.Null(drifted.SkippedReason);
        Assert.True(drifted.DriftDetected);
        var temp = Assert.Single(drifted.Features, f => f.Feature == "temp");
        Assert.Equal(("KS", FeatureKind.Numeric, true), (temp.Method, temp.Kind, temp.Drifted));
        Assert.NotNull(temp.Psi);
        var zone = Assert.Single(drifted.Features, f => f.Feature == "zone");
        Assert.Equal(("CHI_SQUARED", FeatureKind.Categorical), (zone.Method, zone.Kind));
        Assert.Contains(drifted.Features, f => f.Feature == "prediction");
        var alert = Assert.Single(await Alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.DataDrift), 10));
        Assert.Equal((AlertStatus.Open, Severity.Warning), (alert.Status, alert.Severity));
        Assert.Equal(HealthStatus.Warning, (await monitor.GetSnapshotAsync())!.Health);
        Assert.Equal(drifted.CheckedAt, (await monitor.GetSnapshotAsync())!.Drift!.CheckedAt);

        await monitor.CheckDriftAsync();
        Assert.Equal(2, (await Alerts.GetAsync(alert.Id))!.Occurrences);

        await monitor.RecordPredictionsAsync(Samples(random, 300, 0, zone: "north"));
        var back = await monitor.CheckDriftAsync();
        Assert.False(back.DriftDetected);
        var resolved = (await Alerts.GetAsync(alert.Id))!;
        Assert.Equal((AlertStatus.Resolved, "system"), (resolved.Status, resolved.ResolvedBy));
    }

    [Fact]
    public async Task A_bad_batch_against_the_baseline_opens_a_degradation_alert_at_once_and_escalates_it()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        var random = new Random(3);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { MinSamples = 20, WindowSize = 50 });
        await monitor.RecordPredictionsAsync(Samples(random, 20, 0, error: 1));
        await monitor.SetBaselineAsync(new MetricSet(Mae: 0.8));

        var warning = await monitor.RecordPredictionsAsync(Samples(random, 30, 0, error: 1.15));
        var raised = Assert.Single(await Alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.Degradation), 10));
        await monitor.RecordPredictionsAsync(Samples(random, 50, 0, error: 3));
        var escalated = (await Alerts.GetAsync(raised.Id))!;

        Assert.Equal(Severity.Warning, raised.Severity);
        Assert.Equal(HealthStatus.Warning, warning.Monitor.Health);
        Assert.Equal((Severity.Critical, AlertStatus.Open), (escalated.Severity, escalated.Status));
        Assert.Equal(2, escalated.Occurrences);
        Assert.Equal(HealthStatus.Critical, (await monitor.GetSnapshotAsync())!.Health);
    }

    [Fact]
    public async Task Acknowledge_and_resolve_follow_the_lifecycle()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        var random = new Random(4);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { MinSamples = 10, WindowSize = 10 });
        await monitor.RecordPredictionsAsync(Samples(random, 10, 0, error: 1));
        await monitor.SetBaselineAsync(new MetricSet(Mae: 0.1));
        var alert = Assert.Single(await Alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId), 10));

        var acknowledged = await monitor.AcknowledgeAlertAsync(alert.Id);
        var again = await monitor.AcknowledgeAlertAsync(alert.Id);
        var resolved = await monitor.ResolveAlertAsync(alert.Id, "operator", "retrained by hand");
        var resolvedAgain = await monitor.ResolveAlertAsync(alert.Id, "someone-else", null);
        var error = await Assert.ThrowsAsync<ServiceException>(() => monitor.AcknowledgeAlertAsync(alert.Id));
        var unknown = await Assert.ThrowsAsync<ServiceException>(() => monitor.AcknowledgeAlertAsync(Guid.NewGuid()));

        Assert.Equal(AlertStatus.Acknowledged, acknowledged.Status);
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal(acknowledged, again);
        Assert.Equal((AlertStatus.Resolved, "operator", "retrained by hand"), (resolved.Status, resolved.ResolvedBy, resolved.ResolutionNote));
        Assert.Equal(resolved, resolvedAgain);
        Assert.Equal(ModelPerformance.Grains.Interfaces.ErrorCode.BadUserInput, error.Code);
        Assert.Equal(ModelPerformance.Grains.Interfaces.ErrorCode.NotFound, unknown.Code);
        Assert.Equal(resolved, await Alerts.GetAsync(alert.Id));
    }

    [Fact]
    public async Task The_concept_detector_fires_on_a_rise_of_the_error_and_opens_a_concept_drift_alert()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        var random = new Random(5);
        for (var i = 0; i < 10; i++)
        {
            await monitor.RecordPredictionsAsync(Samples(random, 100, 0, error: 1));
        }
        Assert.Empty(await Alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.ConceptDrift), 10));

        for (var i = 0; i < 3; i++)
        {
            await monitor.RecordPredictionsAsync(Samples(random, 100, 0, error: 3));
        }
        var report = await monitor.CheckDriftAsync();

        var alert = Assert.Single(await Alerts.QueryAsync(new AlertFilter(ModelId: key.ModelId, Type: AlertType.ConceptDrift), 10));
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.True(report.ConceptDrift.Detected);
        Assert.Equal("PAGE_HINKLEY", report.ConceptDrift.Detector);
    }

    [Fact]
    public async Task Reset_reference_refreezes_from_the_next_samples()
    {
        var key = NewKey();
        var monitor = Monitor(key);
        await monitor.ConfigureAsync(null, new MonitorConfigPatch { ReferenceSize = 20, MinSamples = 10 });
        await monitor.RecordPredictionsAsync(Samples(new Random(6), 30, 0));

        await monitor.ResetReferenceAsync();
        var report = await monitor.CheckDriftAsync();

        Assert.Contains("reference not full: 0 of 20", report.SkippedReason);
    }
}
