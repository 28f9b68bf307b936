namespace ModelPerformance.Grains.Interfaces;

/// <summary>The <c>extensions.code</c> values of the contract's errors.</summary>
[GenerateSerializer, Alias("ErrorCode")]
public enum ErrorCode { BadUserInput, NotFound, Conflict, Unauthenticated, Forbidden, Internal }
