using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// Before a batch that spans monitors is written, checks every input's task against its monitor's, so that
/// one monitor's rejection cannot leave the others' evaluations stored. A monitor's task never changes once
/// set, so known tasks are remembered and only monitors without one are asked; like the grain references, the
/// memory is emptied when it grows past <see cref="MonitorReferences.MaxCached"/> monitors.
/// (A monitor whose first data arrives from another caller between this check and the write can still
/// reject its part; that window is the length of one call.)
/// </summary>
public sealed class MonitorTaskCheck(MonitorReferences references)
{
    private readonly ConcurrentDictionary<MonitorKey, ModelTask> known = new();

    public async Task EnsureConsistentAsync(IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> inputs, IEnumerable<MonitorKey> monitors, string argument)
    {
        if (known.Count >= MonitorReferences.MaxCached)
        {
            known.Clear();
        }
        var unknown = new List<MonitorKey>();
        foreach (var key in monitors)
        {
            if (!known.ContainsKey(key))
            {
                unknown.Add(key);
            }
        }
        if (unknown.Count > 0)
        {
            var asked = await Task.WhenAll(unknown.Select(key => references.For(key).GetTaskAsync()));
            for (var i = 0; i < unknown.Count; i++)
            {
                if (asked[i] is { } task)
                {
                    known[unknown[i]] = task;
                }
            }
        }
        for (var index = 0; index < inputs.Count; index++)
        {
            var (key, input) = inputs[index];
            if (known.TryGetValue(key, out var monitorTask) && (input.Task ?? input.Metrics.ImpliedTask()) is { } inputTask && inputTask != monitorTask)
            {
                throw ServiceException.BadInput(
                    $"monitor {key} is a {Names.Of(monitorTask)} monitor; {Names.Of(inputTask)} input is rejected", argument, index, "task");
            }
        }
    }
}
