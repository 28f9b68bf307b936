namespace ModelPerformance.Grains.Security;

/// <summary>An API key as stored: its secret only as a SHA-256 hash (keys are random, 256 bits, so no slow hash is needed).</summary>
public sealed record ApiKeyRecord(Guid Id, string Name, IReadOnlyList<Role> Roles, string KeyHash, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);
