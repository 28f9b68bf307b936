using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Security;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// API keys: making one (the secret is returned once, a hash is kept), revoking, and checking a presented key. A check
/// is remembered for a few seconds, so a revoked key is refused on every silo within that time without a database
/// round trip on each request; <c>lastUsedAt</c> is written at most once a minute per key.
/// </summary>
public sealed class ApiKeys(IApiKeyStore store, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string BootstrapName = "bootstrap";
    public const int MaxNameLength = 128;
    public static readonly TimeSpan CheckLifetime = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Key, Caller? Caller, DateTimeOffset CheckedAt)> checks = new();
    private readonly Lazy<byte[]?> bootstrapHash = new(() => options.Value.BootstrapAdminKey is { Length: > 0 } bootstrap ? Encoding.ASCII.GetBytes(Hash(bootstrap)) : null);
    private static readonly Caller BootstrapCaller = new(BootstrapName, new HashSet<Role> { Role.Admin }, true);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> touched = new();

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(string name, IReadOnlyList<Role> roles, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw ServiceException.BadInput($"name must be 1 to {MaxNameLength} characters", "name");
        }
        if (name.Trim() == BootstrapName || name.Trim() == Caller.AnonymousName)
        {
            throw ServiceException.BadInput($"name '{name.Trim()}' is reserved", "name");
        }
        if (roles.Count == 0)
        {
            throw ServiceException.BadInput("roles must name at least one role", "roles");
        }
        var secret = "mp_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKeyRecord(Guid.CreateVersion7(), name.Trim(), roles.Distinct().Order().ToList(), Hash(secret), clock.GetUtcNow().UtcDateTime, null, null);
        await store.CreateAsync(key, cancellationToken);
        return (key, secret);
    }

    public async Task<ApiKeyRecord> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var key = Guid.TryParse(id, out var guid) ? await store.RevokeAsync(guid, clock.GetUtcNow().UtcDateTime, cancellationToken) : null;
        if (key is null)
        {
            throw ServiceException.NotFound($"no API key {id}", "id");
        }
        foreach (var (secretHash, check) in checks)
        {
            if (check.Key?.Id == key.Id)
            {
                checks.TryRemove(secretHash, out _);
            }
        }
        return key;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The caller a presented key stands for, or null when it is unknown or revoked.</summary>
    public async Task<Caller?> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        if (bootstrapHash.Value is { } bootstrap && CryptographicOperations.FixedTimeEquals(bootstrap, Encoding.ASCII.GetBytes(hash)))
        {
            return BootstrapCaller;
        }
        var now = clock.GetUtcNow();
        if (!checks.TryGetValue(hash, out var check) || now - check.CheckedAt > CheckLifetime)
        {
            var found = await store.FindByHashAsync(hash, cancellationToken);
            check = (found, found is null ? null : new Caller(found.Name, found.Roles.ToHashSet(), true), now);
            if (checks.Count > 10_000)
            {
                checks.Clear();
            }
            checks[hash] = check;
        }
        if (check.Key is not { RevokedAt: null } key)
        {
            return null;
        }
        if (!touched.TryGetValue(key.Id, out var last) || now - last > TouchInterval)
        {
            touched[key.Id] = now;
            _ = TouchAsync(key.Id, now.UtcDateTime);
        }
        return check.Caller;
    }

    /// <summary>lastUsedAt is informative: a failed write is tried again at the next use after the interval.</summary>
    private async Task TouchAsync(Guid id, DateTime at)
    {
        try
        {
            await store.TouchAsync(id, at, CancellationToken.None);
        }
        catch (Exception)
        {
            touched.TryRemove(id, out _);
        }
    }
}
