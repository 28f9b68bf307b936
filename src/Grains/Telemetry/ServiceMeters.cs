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

    /// <summary>
    /// A counter of status changes rather than a gauge of jobs per status: a job's grain may run on any silo, move after a
    /// crash, or sleep while an external trainer works, so no silo knows the current set; each change is made once, by
    /// the job's one activation, so the sum over silos counts every change once. Jobs still active are
    /// <c>pending</c> minus the three end states, over a window without restarts.
    /// </summary>
    public static readonly Counter<long> TrainingJobs =
        Meter.CreateCounter<long>("modelperf.training_jobs", "{job}",
            "Training jobs entering a status (pending when created, running, then succeeded, failed or cancelled), by status; summed over silos, each change counts once.");

    /// <summary>Per silo: a subscription lives on the socket's silo, so the sum over silos is the cluster's.</summary>
    public static readonly UpDownCounter<long> SubscriptionsActive =
        Meter.CreateUpDownCounter<long>("modelperf.subscriptions.active", "{subscription}", "GraphQL subscriptions open on this silo's WebSockets.");

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
