using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// The monitors' grain calls behind the resolvers: validated DTOs in, calls to different monitors in parallel.
/// </summary>
public sealed class MonitorGateway(MonitorReferences monitors, MonitorTaskCheck taskCheck, EvaluationLanes lanes)
{
    public IModelMonitorGrain Grain(MonitorKey key) => monitors.For(key);

    public Task<MonitorSnapshot?> GetAsync(MonitorKey key) => Grain(key).GetSnapshotAsync();

    /// <summary>
    /// Groups the inputs by monitor, records each monitor's through its lane, and returns the evaluations in
    /// input order (a lane answers a part's evaluations in the order it was given them). A grain's error
    /// names the input by its index in the part; it is mapped back to the argument's path.
    /// </summary>
    public async Task<RecordBatchResult> RecordEvaluationsAsync(IReadOnlyList<(MonitorKey Key, EvaluationInput Input)> inputs, string argument)
    {
        // Plain loops: a batch has up to 10,000 inputs, and this runs for every one of them.
        var groups = new Dictionary<MonitorKey, Group>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var (key, input) = inputs[i];
            if (!groups.TryGetValue(key, out var group))
            {
                group = new Group(key);
                groups.Add(key, group);
            }
            group.Inputs.Add(input);
            group.Indexes.Add(i);
        }
        if (groups.Count > 1)
        {
            await taskCheck.EnsureConsistentAsync(inputs, groups.Keys, argument);
        }
        var ordered = groups.Values.ToArray();
        var calls = new Task<RecordBatchResult>[ordered.Length];
        for (var g = 0; g < ordered.Length; g++)
        {
            calls[g] = lanes.RecordAsync(ordered[g].Key, ordered[g].Inputs);
        }
        try
        {
            await Task.WhenAll(calls);
        }
        catch (ServiceException)
        {
            // The first failing monitor in input order names the input: its index in that call is mapped back to
            // the argument's path, ["inputs", n, ...], or ["input", ...] for the single-input mutation.
            for (var g = 0; g < ordered.Length; g++)
            {
                if (calls[g].Exception?.InnerException is ServiceException e
                    && e.Path is [var first, ..] && int.TryParse(first, out var local) && local >= 0 && local < ordered[g].Indexes.Count)
                {
                    object[] path = inputs.Count == 1 ? [argument, .. e.Path[1..]] : [argument, ordered[g].Indexes[local], .. e.Path[1..]];
                    throw new ServiceException(e.Code, e.Message, path);
                }
            }
            throw;
        }

        var evaluations = new Evaluation[inputs.Count];
        var duplicateIndexes = new List<int>();
        for (var g = 0; g < ordered.Length; g++)
        {
            var result = calls[g].Result;
            var indexes = ordered[g].Indexes;
            if (result.Evaluations.Count != indexes.Count)
            {
                throw new InvalidOperationException($"Monitor {ordered[g].Key} answered {result.Evaluations.Count} evaluations for {indexes.Count} inputs.");
            }
            for (var i = 0; i < indexes.Count; i++)
            {
                evaluations[indexes[i]] = result.Evaluations[i];
            }
            foreach (var local in result.DuplicateIndexes)
            {
                duplicateIndexes.Add(indexes[local]);
            }
        }
        duplicateIndexes.Sort();
        return new RecordBatchResult(evaluations, duplicateIndexes);
    }

    /// <summary>One monitor's inputs of a batch and their indexes in it.</summary>
    private sealed class Group(MonitorKey key)
    {
        public MonitorKey Key { get; } = key;
        public List<EvaluationInput> Inputs { get; } = new(1);
        public List<int> Indexes { get; } = new(1);
    }
}
