using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// The monitors' grain calls behind the resolvers: validated DTOs in, one grain call per monitor, calls
/// to different monitors in parallel.
/// </summary>
public sealed class MonitorGateway(IGrainFactory grains)
{
    public IModelMonitorGrain Grain(MonitorKey key) => grains.GetGrain<IModelMonitorGrain>(key.ToString());

    public Task<MonitorSnapshot?> GetAsync(MonitorKey key) => Grain(key).GetSnapshotAsync();

    /// <summary>Snapshots of many monitors at once; unknown ones are left out.</summary>
    public async Task<IReadOnlyList<MonitorSnapshot>> GetManyAsync(IReadOnlyList<MonitorKey> keys)
    {
        var snapshots = await Task.WhenAll(keys.Select(GetAsync));
        return snapshots.OfType<MonitorSnapshot>().ToList();
    }

    /// <summary>
    /// Groups the inputs by monitor, makes one grain call per monitor, and returns the evaluations in
    /// input order (the grain answers each call's evaluations in the order it was given them).
    /// </summary>
    public async Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> inputs)
    {
        var groups = inputs
            .Select((item, index) => (item.Key, item.Input, Index: index))
            .GroupBy(item => item.Key)
            .ToList();
        var results = await Task.WhenAll(groups.Select(g => Grain(g.Key).RecordEvaluationsAsync(g.Select(i => i.Input).ToList())));

        var evaluations = new Evaluation[inputs.Count];
        var accepted = 0;
        var duplicates = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var result = results[g];
            var indexes = groups[g].Select(i => i.Index).ToList();
            if (result.Evaluations.Count != indexes.Count)
            {
                throw new InvalidOperationException($"Monitor {groups[g].Key} answered {result.Evaluations.Count} evaluations for {indexes.Count} inputs.");
            }
            for (var i = 0; i < indexes.Count; i++)
            {
                evaluations[indexes[i]] = result.Evaluations[i];
            }
            accepted += result.Accepted;
            duplicates += result.Duplicates;
        }
        return new RecordBatchResult(accepted, duplicates, evaluations);
    }
}
