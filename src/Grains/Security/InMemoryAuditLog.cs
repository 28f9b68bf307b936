namespace ModelPerformance.Grains.Security;

public sealed class InMemoryAuditLog : IAuditLog
{
    /// <summary>A lone silo keeps this many entries, the newest.</summary>
    public const int Capacity = 100_000;

    private readonly LinkedList<AuditEntry> entries = new();

    public Task WriteAsync(IReadOnlyList<AuditEntry> batch, CancellationToken cancellationToken = default)
    {
        lock (entries)
        {
            foreach (var entry in batch)
            {
                entries.AddFirst(entry);
            }
            while (entries.Count > Capacity)
            {
                entries.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(string? actor, string? operation, int first, CancellationToken cancellationToken = default)
    {
        lock (entries)
        {
            IReadOnlyList<AuditEntry> result = entries.Where(e => (actor is null || e.Actor == actor) && (operation is null || e.Operation == operation)).Take(first).ToList();
            return Task.FromResult(result);
        }
    }
}
