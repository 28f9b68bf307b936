using System.Collections.Concurrent;
using System.Diagnostics;

namespace ModelPerformance.Tests.Telemetry;

/// <summary>
/// Sees every span that ends in this process, and decides none: its sampler answers "none", so only spans that the
/// service's own tracer provider chose to record exist. What it sees is therefore what the production wiring traces.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.Recorded)
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<Activity> Stopped => stopped.ToList();

    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId) => stopped.Where(a => a.TraceId == traceId).ToList();

    public void Dispose() => listener.Dispose();
}
