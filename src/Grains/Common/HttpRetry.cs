namespace ModelPerformance.Grains.Common;

/// <summary>The answers of a receiver worth trying again (SEMANTICS.md): none (a network error or no answer in time), 408, 429, or 5xx.</summary>
public static class HttpRetry
{
    public static bool IsRetryable(int? status) => status is null or 408 or 429 or >= 500;
}
