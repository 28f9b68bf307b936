using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>Domain objects for events that tests publish straight into a hub.</summary>
public static class Events
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static Evaluation Evaluation(string modelId, string machineId, double rmse = 1) =>
        new(Guid.NewGuid(), modelId, machineId, "v1", DateTime.UtcNow, 10, new MetricSet(Rmse: rmse));

    public static Alert Alert(string modelId, string machineId, string modelType = "energy", Severity severity = Severity.Warning,
        AlertStatus status = AlertStatus.Open, string? details = null) =>
        new(Guid.NewGuid(), modelId, machineId, modelType, AlertType.Degradation, severity, status, "RMSE rose", details,
            DateTime.UtcNow, DateTime.UtcNow, 1, null, null, null, null, null);

    public static TrainingJob Job(string modelId, string machineId) =>
        new(Guid.NewGuid(), modelId, machineId, TrainingTrigger.Manual, TrainingStatus.Running, "test", DateTime.UtcNow, DateTime.UtcNow,
            null, "v1", null, null, null, null, null, null, null);

    public static AbTest Test(string modelId, string machineId) =>
        new(Guid.NewGuid(), modelId, machineId, "v1", "v2", 0.5, Metric.Rmse, true, AbTestStatus.Running, DateTime.UtcNow, null, null, 100, false,
            new AbTestResults(new AbArmResult(AbArm.A, "v1", 0, 0, 0), new AbArmResult(AbArm.B, "v2", 0, 0, 0),
                null, null, null, null, null, null, null, null, false, 0, null, "insufficient data"));
}
