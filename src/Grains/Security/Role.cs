namespace ModelPerformance.Grains.Security;

/// <summary>What a caller may do (SEMANTICS.md, Authentication and roles): in this order, each adds to the one before; ADMIN may do everything.</summary>
public enum Role { Viewer, Ingest, Operator, Admin }
