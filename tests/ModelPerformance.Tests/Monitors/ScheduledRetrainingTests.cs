using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Training;
using ModelPerformance.Tests.Infrastructure;

namespace ModelPerformance.Tests.Monitors;

/// <summary>Retraining on a schedule, with one "minute" of the monitor's intervals shortened to 50 ms (an hour is 3 s).</summary>
public sealed class ScheduledRetrainingTests
{
    [Fact]
    public async Task A_monitor_with_a_retrain_interval_starts_scheduled_jobs_and_one_without_does_not()
    {
        await using var service = await RunningService.StartAsync(settings: new Dictionary<string, string?> { ["Monitors:CheckIntervalUnit"] = "00:00:00.050" });
        var jobs = service.Services.GetRequiredService<ITrainingJobStore>();
        var random = new Random(5);
        var samples = Enumerable.Range(0, 50).Select(_ =>
        {
            var x = random.NextDouble() * 10;
            return new PredictionSample(null, 3 * x + 1, 3 * x, null, null, new Dictionary<string, FeatureValue> { ["x"] = FeatureValue.Of(x) });
        }).ToList();
        var scheduled = service.Grains.GetGrain<IModelMonitorGrain>(new MonitorKey("scheduled", "press-1").ToString());
        var unscheduled = service.Grains.GetGrain<IModelMonitorGrain>(new MonitorKey("unscheduled", "press-1").ToString());
        foreach (var monitor in new[] { scheduled, unscheduled })
        {
            await monitor.RecordPredictionsAsync(new PredictionBatch(null, null, null, "v1", samples));
        }
        await scheduled.ConfigureAsync(null, new MonitorConfigPatch { CheckIntervalMinutes = 10, RetrainIntervalHours = 1, NoDataMinutes = 0 });
        await unscheduled.ConfigureAsync(null, new MonitorConfigPatch { CheckIntervalMinutes = 10, NoDataMinutes = 0 });

        var found = await Eventually.MatchAsync(() => jobs.QueryAsync(new TrainingJobFilter("scheduled"), 10),
            list => list.Count(j => j.Status == TrainingStatus.Succeeded) >= 2, TimeSpan.FromSeconds(30), "two SCHEDULED jobs of the scheduled monitor");

        Assert.All(found, job => Assert.Equal(TrainingTrigger.Scheduled, job.Trigger));
        var starts = found.OrderBy(j => j.CreatedAt).Select(j => j.CreatedAt).ToList();
        Assert.True(starts[1] - starts[0] >= TimeSpan.FromSeconds(2.9), $"jobs began {starts[1] - starts[0]} apart, less than the interval");
        Assert.Empty(await jobs.QueryAsync(new TrainingJobFilter("unscheduled"), 10));
    }

    [Fact]
    public void A_retrain_interval_beyond_a_year_is_refused_naming_it()
    {
        var error = Assert.Throws<ServiceException>(() => Grains.Monitors.MonitorConfigRules.Apply(MonitorConfig.Default, new MonitorConfigPatch { RetrainIntervalHours = 8_761 }));

        Assert.Equal(["retrainIntervalHours"], error.Path);
    }
}
