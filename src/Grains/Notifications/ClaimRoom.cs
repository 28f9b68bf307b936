namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// How many more deliveries a dispatcher may take on: <paramref name="Total"/> in all, and no channel beyond <paramref name="PerChannel"/>
/// in flight, so a slow receiver holds up only its own channel's share.
/// </summary>
public sealed record ClaimRoom(int Total, int PerChannel, IReadOnlyDictionary<Guid, int> InFlight)
{
    /// <summary>Channels with no room left; a claim does not look at their deliveries.</summary>
    public Guid[] FullChannels => InFlight.Where(c => c.Value >= PerChannel).Select(c => c.Key).ToArray();

    /// <summary>The candidates, in their order, that fit.</summary>
    public IReadOnlyList<T> Choose<T>(IEnumerable<T> candidates, Func<T, Guid> channel)
    {
        var taken = new Dictionary<Guid, int>();
        var chosen = new List<T>();
        foreach (var candidate in candidates)
        {
            if (chosen.Count == Total)
            {
                break;
            }
            var id = channel(candidate);
            var count = taken.GetValueOrDefault(id, InFlight.GetValueOrDefault(id));
            if (count < PerChannel)
            {
                taken[id] = count + 1;
                chosen.Add(candidate);
            }
        }
        return chosen;
    }
}
