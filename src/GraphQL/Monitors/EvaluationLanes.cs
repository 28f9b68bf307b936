using System.Collections.Concurrent;
using System.Diagnostics;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Telemetry;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// One lane per monitor: this silo keeps at most one <c>RecordEvaluationsAsync</c> call in flight to a monitor.
/// Inputs that arrive for it meanwhile, from any number of requests, wait and go together in its next call, so
/// under load a grain call and a history append carry many requests' evaluations instead of one each. (A monitor
/// takes one call at a time and holds it until its rows commit, so a second call would only have waited in the
/// grain's queue.) Each request still gets its own evaluations back, and its own error: a combined call that a
/// monitor rejects is sent again part by part, which stores nothing twice because a rejected call stores nothing.
/// Traced, a call belongs to the requests it carries: one part's call continues that request's trace, a combined
/// call runs under a span of the first and links the others.
/// </summary>
/// <param name="monitorOf">The monitor grain of a key (<see cref="MonitorReferences.For"/>).</param>
public sealed class EvaluationLanes(Func<MonitorKey, IModelMonitorGrain> monitorOf)
{
    /// <summary>The most inputs one combined call carries (a single request's part is never split).</summary>
    public const int MaxInputsPerCall = 10_000;

    /// <summary>Lanes with a call in flight; a lane leaves when it has nothing more to send, so this stays small.</summary>
    private readonly ConcurrentDictionary<MonitorKey, Lane> lanes = new();

    /// <summary>Records one request's inputs for one monitor and answers for them alone, in their order.</summary>
    public Task<RecordBatchResult> RecordAsync(MonitorKey key, IReadOnlyList<EvaluationInput> inputs)
    {
        var part = new Part(inputs);
        while (true)
        {
            var lane = lanes.GetOrAdd(key, static k => new Lane(k));
            lock (lane)
            {
                if (lane.Retired)
                {
                    continue;
                }
                if (lane.Busy)
                {
                    lane.Waiting.Add(part);
                    return part.Done.Task;
                }
                lane.Busy = true;
            }
            _ = RunAsync(lane, [part]);
            return part.Done.Task;
        }
    }

    /// <summary>Sends the lane's calls one after another until nothing waits, then retires the lane.</summary>
    private async Task RunAsync(Lane lane, List<Part> parts)
    {
        while (true)
        {
            try
            {
                // The loop runs in the context of the request that opened the lane, and may go on for others'.
                Activity.Current = parts[0].Caller;
                await SendAsync(lane.Key, parts);
            }
            catch (Exception e)
            {
                // SendAsync answers every part itself; this is for a failure outside the grain call (none is
                // known), so that no request waits forever and the lane still moves on.
                foreach (var part in parts)
                {
                    part.Done.TrySetException(e);
                }
            }
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    lane.Retired = true;
                    lanes.TryRemove(new KeyValuePair<MonitorKey, Lane>(lane.Key, lane));
                    return;
                }
                parts = TakeNext(lane.Waiting);
            }
        }
    }

    /// <summary>Takes waiting parts, oldest first, up to <see cref="MaxInputsPerCall"/> inputs (at least one part).</summary>
    private static List<Part> TakeNext(List<Part> waiting)
    {
        var taken = 0;
        var inputs = 0;
        while (taken < waiting.Count && (taken == 0 || inputs + waiting[taken].Inputs.Count <= MaxInputsPerCall))
        {
            inputs += waiting[taken].Inputs.Count;
            taken++;
        }
        var next = waiting.GetRange(0, taken);
        waiting.RemoveRange(0, taken);
        return next;
    }

    private async Task SendAsync(MonitorKey key, List<Part> parts)
    {
        var grain = monitorOf(key);
        if (parts.Count == 1)
        {
            try
            {
                parts[0].Done.SetResult(await grain.RecordEvaluationsAsync(parts[0].Inputs));
            }
            catch (Exception e)
            {
                parts[0].Done.SetException(e);
            }
            return;
        }

        using var span = ServiceActivities.StartOnBehalfOf("record evaluations", parts.Select(p => p.Caller?.Context ?? default));
        span?.SetTag("modelperf.requests", parts.Count);
        var combined = new List<EvaluationInput>(parts.Sum(p => p.Inputs.Count));
        foreach (var part in parts)
        {
            combined.AddRange(part.Inputs);
        }
        RecordBatchResult result;
        try
        {
            result = await grain.RecordEvaluationsAsync(combined);
        }
        catch (ServiceException)
        {
            // Some part is bad input, and its error must reach its own request only.
            foreach (var part in parts)
            {
                await SendAsync(key, [part]);
            }
            return;
        }
        catch (Exception e)
        {
            foreach (var part in parts)
            {
                part.Done.SetException(e);
            }
            return;
        }

        var offset = 0;
        var duplicate = 0;
        foreach (var part in parts)
        {
            var count = part.Inputs.Count;
            List<int>? duplicateIndexes = null;
            while (duplicate < result.DuplicateIndexes.Count && result.DuplicateIndexes[duplicate] < offset + count)
            {
                (duplicateIndexes ??= []).Add(result.DuplicateIndexes[duplicate++] - offset);
            }
            var evaluations = new Evaluation[count];
            for (var i = 0; i < count; i++)
            {
                evaluations[i] = result.Evaluations[offset + i];
            }
            part.Done.SetResult(new RecordBatchResult(evaluations, (IReadOnlyList<int>?)duplicateIndexes ?? []));
            offset += count;
        }
    }

    private sealed class Lane(MonitorKey key)
    {
        public MonitorKey Key { get; } = key;

        /// <summary>A call is in flight; guarded by the lane's lock, as are the others.</summary>
        public bool Busy { get; set; }

        /// <summary>Removed from the lanes: a request that still found it takes a new one.</summary>
        public bool Retired { get; set; }

        public List<Part> Waiting { get; } = [];
    }

    private sealed class Part(IReadOnlyList<EvaluationInput> inputs)
    {
        public IReadOnlyList<EvaluationInput> Inputs { get; } = inputs;

        /// <summary>The request's span, for the call that carries its inputs.</summary>
        public Activity? Caller { get; } = Activity.Current;

        public TaskCompletionSource<RecordBatchResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
