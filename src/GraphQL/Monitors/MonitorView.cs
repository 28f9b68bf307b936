using ModelPerformance.Grains.Alerts;
using ModelPerformance.Grains.History;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Monitors;

/// <summary>
/// What a <c>Monitor</c> object resolves from: the grain's snapshot, or, in a fleet page, the registry's listing
/// with the snapshot fetched only if a field needs it. A page's alerts are fetched for all its monitors at once.
/// </summary>
public sealed class MonitorView
{
    private readonly Lazy<Task<MonitorSnapshot>> snapshot;

    private MonitorView(MonitorKey key, MonitorListing? listing, Func<Task<MonitorSnapshot>> load, MonitorPageAlerts? pageAlerts)
    {
        Key = key;
        Listing = listing;
        PageAlerts = pageAlerts;
        snapshot = new Lazy<Task<MonitorSnapshot>>(load);
    }

    public MonitorKey Key { get; }

    public MonitorListing? Listing { get; }

    public MonitorPageAlerts? PageAlerts { get; }

    public Task<MonitorSnapshot> SnapshotAsync() => snapshot.Value;

    public static MonitorView Of(MonitorSnapshot snapshot) =>
        new(new MonitorKey(snapshot.ModelId, snapshot.MachineId), null, () => Task.FromResult(snapshot), null);

    public static MonitorView Of(MonitorListing listing, MonitorGateway gateway, MonitorPageAlerts pageAlerts) =>
        new(listing.Key, listing, async () => await gateway.GetAsync(listing.Key)
                                             ?? throw ServiceException.NotFound($"monitor {listing.Key} is registered but holds no state", "modelId"),
            pageAlerts);

    /// <summary>A field's source: a view, or a snapshot that a mutation or the <c>monitor</c> query returned.</summary>
    public static MonitorView From(object source) => source as MonitorView ?? Of((MonitorSnapshot)source);
}

/// <summary>The alerts of one page of monitors, by status, each status read once for the whole page.</summary>
public sealed class MonitorPageAlerts(IAlertStore store, IReadOnlyCollection<MonitorKey> monitors, int firstPerMonitor)
{
    /// <summary>By status; -1 for alerts of any status (a dictionary takes no null key).</summary>
    private readonly Dictionary<int, Task<IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>>>> byStatus = [];

    public async Task<IReadOnlyList<Alert>> ForAsync(MonitorKey key, AlertStatus? status, CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<MonitorKey, IReadOnlyList<Alert>>> query;
        lock (byStatus)
        {
            var slot = status is { } s ? (int)s : -1;
            if (!byStatus.TryGetValue(slot, out query!))
            {
                query = store.QueryByMonitorAsync(monitors, status, firstPerMonitor, cancellationToken);
                byStatus[slot] = query;
            }
        }
        return (await query).GetValueOrDefault(key) ?? [];
    }
}
