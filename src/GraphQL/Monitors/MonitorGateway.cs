using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// The monitors' grain calls behind the resolvers: validated DTOs in, one grain call per monitor, calls
/// to different monitors in parallel.
/// </summary>
public sealed class MonitorGateway(IGrainFactory grains, MonitorTaskCheck taskCheck)
{
    public IModelMonitorGrain Grain(MonitorKey key) => grains.GetGrain<IModelMonitorGrain>(key.ToString());

    public Task<MonitorSnapshot?> GetAsync(MonitorKey key) => Grain(key).GetSnapshotAsync();

    /// <summary>
    /// Groups the inputs by monitor, makes one grain call per monitor, and returns the evaluations in
    /// input order (the grain answers each call's evaluations in the order it was given them). A grain's
    /// error names the input by its index in that call; it is mapped back to the argument's path:
    /// <c>["inputs", n, ...]</c>, or <c>["input", ...]</c> for the single-input mutation.
    /// </summary>
    public async Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> inputs, string argument)
    {
        var groups = inputs
            .Select((item, index) => (item.Key, item.Input, Index: index))
            .GroupBy(item => item.Key)
            .Select(g => (g.Key, Inputs: g.Select(i => i.Input).ToList(), Indexes: g.Select(i => i.Index).ToList()))
            .ToList();
        if (groups.Count > 1)
        {
            await taskCheck.EnsureConsistentAsync(inputs, argument);
        }
        var results = await Task.WhenAll(groups.Select(g => RecordGroupAsync(g.Key, g.Inputs, g.Indexes, argument, single: inputs.Count == 1)));

        var evaluations = new Evaluation[inputs.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var (key, _, indexes) = groups[g];
            if (results[g].Evaluations.Count != indexes.Count)
            {
                throw new InvalidOperationException($"Monitor {key} answered {results[g].Evaluations.Count} evaluations for {indexes.Count} inputs.");
            }
            for (var i = 0; i < indexes.Count; i++)
            {
                evaluations[indexes[i]] = results[g].Evaluations[i];
            }
        }
        return new RecordBatchResult(results.Sum(r => r.Accepted), results.Sum(r => r.Duplicates), evaluations);
    }

    private async Task<RecordBatchResult> RecordGroupAsync(MonitorKey key, List<EvaluationInput> inputs, List<int> indexes, string argument, bool single)
    {
        try
        {
            return await Grain(key).RecordEvaluationsAsync(inputs);
        }
        catch (ServiceException e) when (e.Path is [var first, ..] && int.TryParse(first, out var local) && local >= 0 && local < indexes.Count)
        {
            object[] path = single ? [argument, .. e.Path[1..]] : [argument, indexes[local], .. e.Path[1..]];
            throw new ServiceException(e.Code, e.Message, path);
        }
    }
}
