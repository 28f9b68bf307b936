using System.Globalization;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Notifications;

/// <summary>An alert as the webhook body carries it: the Alert's fields by their GraphQL names, times in UTC ISO 8601.</summary>
public static class AlertJson
{
    public static string Serialize(Alert alert) => new JsonObject
    {
        ["id"] = alert.Id.ToString(),
        ["modelId"] = alert.ModelId,
        ["machineId"] = alert.MachineId,
        ["modelType"] = alert.ModelType,
        ["type"] = Names.Of(alert.Type),
        ["severity"] = Names.Of(alert.Severity),
        ["status"] = Names.Of(alert.Status),
        ["message"] = alert.Message,
        ["details"] = alert.DetailsJson is { } details ? JsonNode.Parse(details) : null,
        ["createdAt"] = Time(alert.CreatedAt),
        ["lastSeenAt"] = Time(alert.LastSeenAt),
        ["occurrences"] = alert.Occurrences,
        ["acknowledgedAt"] = Time(alert.AcknowledgedAt),
        ["resolvedAt"] = Time(alert.ResolvedAt),
        ["resolvedBy"] = alert.ResolvedBy,
        ["resolutionNote"] = alert.ResolutionNote,
        ["autoAction"] = alert.AutoAction,
    }.ToJsonString();

    public static string? Time(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
