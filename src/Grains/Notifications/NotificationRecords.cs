using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Notifications;

public enum ChannelKind { Webhook, Slack, Teams }

public enum NotificationEvent { Firing, Escalated, Resolved, Repeat, Test }

public enum DeliveryStatus { Pending, Delivered, Failed, Silenced }

/// <summary>Where alerts are sent, and which of them (SEMANTICS.md, Notifications). The secret is kept for signing and never shown.</summary>
public sealed record NotificationChannel(
    Guid Id,
    string Name,
    ChannelKind Kind,
    string Url,
    Severity MinSeverity,
    IReadOnlyList<AlertType>? Types,
    IReadOnlyList<string>? MachineIds,
    IReadOnlyList<string>? ModelTypes,
    int RepeatIntervalMinutes,
    string? Secret,
    bool Enabled,
    DateTime CreatedAt)
{
    /// <summary>The routing rule: severity at least the channel's minimum, and type, machine and model type in its lists (null lists match all).</summary>
    public bool Matches(Alert alert) =>
        alert.Severity >= MinSeverity
        && (Types is null || Types.Contains(alert.Type))
        && (MachineIds is null || MachineIds.Contains(alert.MachineId))
        && (ModelTypes is null || ModelTypes.Contains(alert.ModelType));
}

/// <summary>A time during which matching alerts send nothing; every matcher that is set must equal the alert's field.</summary>
public sealed record Silence(
    Guid Id,
    string? ModelId,
    string? MachineId,
    string? ModelType,
    AlertType? Type,
    DateTime StartsAt,
    DateTime EndsAt,
    string CreatedBy,
    string? Comment)
{
    public bool IsActive(DateTime now) => StartsAt <= now && now < EndsAt;

    public bool Matches(Alert alert, DateTime now) =>
        IsActive(now)
        && (ModelId is null || ModelId == alert.ModelId)
        && (MachineId is null || MachineId == alert.MachineId)
        && (ModelType is null || ModelType == alert.ModelType)
        && (Type is null || Type == alert.Type);
}

/// <summary>
/// One event for one channel, as the outbox holds it: its id is the deliveryId every attempt carries; <paramref name="AlertJson"/> is the
/// alert as it was when the event happened.
/// </summary>
public sealed record NotificationDelivery(
    Guid Id,
    Guid ChannelId,
    Guid? AlertId,
    NotificationEvent Event,
    DeliveryStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? LastAttemptAt,
    int? ResponseStatus,
    string? Error,
    DateTime NextAttemptAt,
    string? AlertJson)
{
    /// <summary>The delivery as an attempt left it.</summary>
    public NotificationDelivery After(DeliveryAttempt attempt) => this with
    {
        Status = attempt.Status,
        Attempts = Attempts + 1,
        LastAttemptAt = attempt.At,
        ResponseStatus = attempt.ResponseStatus,
        Error = attempt.Error,
        NextAttemptAt = attempt.NextAttemptAt,
    };
}

/// <summary>A claimed delivery with what sending it needs from its channel.</summary>
public sealed record DeliveryWork(NotificationDelivery Delivery, ChannelKind Kind, string Url, string? Secret, string ChannelName);

/// <summary>What one attempt came to: the delivery's next status, when to try again, and what the receiver answered.</summary>
public sealed record DeliveryAttempt(Guid DeliveryId, DeliveryStatus Status, DateTime At, int? ResponseStatus, string? Error, DateTime NextAttemptAt);

/// <summary>Which deliveries <c>notificationDeliveries</c> returns; null fields do not filter.</summary>
public sealed record DeliveryFilter(Guid? AlertId = null, Guid? ChannelId = null, DeliveryStatus? Status = null);
