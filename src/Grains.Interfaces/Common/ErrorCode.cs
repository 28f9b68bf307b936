namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// The <c>extensions.code</c> values of the contract's errors, and NOT_IMPLEMENTED for a contract field whose feature
/// this version does not serve yet (a designed answer, so not INTERNAL). New codes go at the end: stored values keep their meaning.
/// </summary>
[GenerateSerializer, Alias("ErrorCode")]
public enum ErrorCode { BadUserInput, NotFound, Conflict, Unauthenticated, Forbidden, Internal, NotImplemented }
