namespace ModelPerformance.Grains.Security;

/// <summary>What a caller may do (SEMANTICS.md, Authentication and roles); ADMIN may do everything.</summary>
public enum Role { Viewer, Ingest, Operator, Admin }
