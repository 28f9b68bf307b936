using System.Diagnostics.Metrics;

namespace ModelPerformance.Grains.Telemetry;

/// <summary>
/// The service's own instruments (meter <see cref="MeterName"/>, instruments named <c>modelperf.*</c>, so <c>modelperf_*</c> in
/// Prometheus). They cost nothing until a listener (the host's OpenTelemetry) subscribes.
/// </summary>
public static class ServiceMeters
{
    public const string MeterName = "ModelPerformance";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> EvaluationsRecorded =
        Meter.CreateCounter<long>("modelperf.evaluations.recorded", "{evaluation}", "Evaluations stored (given ones and one per prediction batch with actuals).");

    public static readonly Counter<long> SamplesRecorded =
        Meter.CreateCounter<long>("modelperf.samples.recorded", "{sample}", "Prediction samples stored.");

    public static readonly Counter<long> AlertsRaised =
        Meter.CreateCounter<long>("modelperf.alerts.raised", "{alert}", "Alerts opened, by type and severity.");

    public static readonly Histogram<double> DriftCheckDuration =
        Meter.CreateHistogram<double>("modelperf.drift_check.duration", "s", "How long a drift check took.");

    public static readonly Counter<long> NotificationAttempts =
        Meter.CreateCounter<long>("modelperf.notifications.attempts", "{attempt}", "Notification delivery attempts, by the status they left the delivery in.");

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
