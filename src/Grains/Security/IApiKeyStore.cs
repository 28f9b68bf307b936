namespace ModelPerformance.Grains.Security;

/// <summary>The API keys: <c>model_api_keys</c> in PostgreSQL, memory in a lone silo.</summary>
public interface IApiKeyStore
{
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default);

    /// <summary>Every key, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked (once: a revoked key keeps its first revokedAt); null for an unknown id.</summary>
    Task<ApiKeyRecord?> RevokeAsync(Guid id, DateTime at, CancellationToken cancellationToken = default);

    Task TouchAsync(Guid id, DateTime at, CancellationToken cancellationToken = default);
}
