using ModelPerformance.Grains.Common;

namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// What an attempt's outcome means (SEMANTICS.md, Notifications): a 2xx is DELIVERED; a network error, 408, 429 or 5xx is tried again after a
/// backoff that starts at <see cref="NotificationOptions.FirstBackoff"/> and doubles, until the last attempt fails it; any other status fails it at once.
/// </summary>
public static class DeliveryPolicy
{
    /// <param name="attempt">The attempt that just ended, counting from 1.</param>
    /// <param name="status">The receiver's HTTP status, or null when it could not be reached or did not answer in time.</param>
    public static DeliveryAttempt Judge(Guid deliveryId, int attempt, int? status, string? error, DateTime now, NotificationOptions options)
    {
        if (status is >= 200 and < 300)
        {
            return new DeliveryAttempt(deliveryId, DeliveryStatus.Delivered, now, status, null, now);
        }
        var retryable = HttpRetry.IsRetryable(status);
        if (!retryable || attempt >= options.Attempts)
        {
            return new DeliveryAttempt(deliveryId, DeliveryStatus.Failed, now, status, retryable ? $"{error} (after {attempt} attempts)" : error, now);
        }
        var backoff = options.FirstBackoff * Math.Pow(2, attempt - 1);
        return new DeliveryAttempt(deliveryId, DeliveryStatus.Pending, now, status, error, now + backoff);
    }
}
