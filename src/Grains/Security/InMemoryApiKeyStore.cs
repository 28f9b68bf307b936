using System.Collections.Concurrent;

namespace ModelPerformance.Grains.Security;

public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<Guid, ApiKeyRecord> keys = new();

    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        keys[key.Id] = key;
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.Values.FirstOrDefault(k => k.KeyHash == keyHash));

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(keys.Values.OrderByDescending(k => k.CreatedAt).ToList());

    public Task<ApiKeyRecord?> RevokeAsync(Guid id, DateTime at, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.TryGetValue(id, out var key) ? keys[id] = key with { RevokedAt = key.RevokedAt ?? at } : null);

    public Task TouchAsync(Guid id, DateTime at, CancellationToken cancellationToken = default)
    {
        if (keys.TryGetValue(id, out var key))
        {
            keys[id] = key with { LastUsedAt = at };
        }
        return Task.CompletedTask;
    }
}
