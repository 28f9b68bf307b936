namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// The <c>extensions.code</c> values of the contract's errors. New codes go at the end: stored values keep their meaning.
/// </summary>
[GenerateSerializer, Alias("ErrorCode")]
public enum ErrorCode { BadUserInput, NotFound, Conflict, Unauthenticated, Forbidden, Internal, RateLimited, Unavailable }
