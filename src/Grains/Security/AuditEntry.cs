namespace ModelPerformance.Grains.Security;

/// <summary>One mutation's trace: who asked for what, on what, and how it ended (the error code when it did not succeed).</summary>
public sealed record AuditEntry(DateTime At, string Actor, string Operation, string? Target, bool Succeeded, string? Code);
