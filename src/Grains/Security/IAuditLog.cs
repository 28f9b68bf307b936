namespace ModelPerformance.Grains.Security;

/// <summary>The audit log: <c>model_audit_log</c> in PostgreSQL, memory in a lone silo.</summary>
public interface IAuditLog
{
    Task WriteAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Matching entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(string? actor, string? operation, int first, CancellationToken cancellationToken = default);
}
