using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// The bodies each kind of channel receives (SEMANTICS.md, Notifications) and the webhook signature: WEBHOOK gets the event, the time it
/// was sent, the alert and the deliveryId as JSON; SLACK an incoming-webhook text; TEAMS a message card. Texts name the severity, the
/// monitor, the message and the monitor's dashboard page.
/// </summary>
public static class NotificationPayload
{
    public const string DeliveryHeader = "X-ModelPerf-Delivery";
    public const string SignatureHeader = "X-ModelPerf-Signature";

    public static byte[] Body(DeliveryWork work, DateTime sentAt, string? publicUrl)
    {
        var delivery = work.Delivery;
        var alert = delivery.AlertJson is { } json ? JsonNode.Parse(json)!.AsObject() : null;
        var notification = Names.Of(delivery.Event);
        JsonObject body = work.Kind switch
        {
            ChannelKind.Webhook => new JsonObject
            {
                ["event"] = notification,
                ["sentAt"] = AlertJson.Time(sentAt),
                ["alert"] = alert,
                ["deliveryId"] = delivery.Id.ToString(),
            },
            ChannelKind.Slack => new JsonObject { ["text"] = Text(notification, alert, work.ChannelName, publicUrl) },
            _ => new JsonObject
            {
                ["@type"] = "MessageCard",
                ["@context"] = "https://schema.org/extensions",
                ["summary"] = Title(notification, alert),
                ["themeColor"] = ThemeColor(delivery.Event, alert),
                ["title"] = Title(notification, alert),
                ["text"] = Text(notification, alert, work.ChannelName, publicUrl),
            },
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The dashboard page of the alert's monitor (its view <c>#/monitor/model/machine</c>).</summary>
    public static string? MonitorPage(string? publicUrl, string modelId, string machineId) =>
        publicUrl is null ? null
            : $"{publicUrl.TrimEnd('/')}/ui/model-performance#/monitor/{Uri.EscapeDataString(modelId)}/{Uri.EscapeDataString(machineId)}";

    private static string Title(string notification, JsonObject? alert) => alert is null
        ? "Model performance: test notification"
        : $"[{alert["severity"]}] {notification} {alert["type"]} on {alert["modelId"]}/{alert["machineId"]}";

    private static string Text(string notification, JsonObject? alert, string channelName, string? publicUrl)
    {
        if (alert is null)
        {
            return $"Test notification from the model performance service to channel '{channelName}'.";
        }
        var page = MonitorPage(publicUrl, (string)alert["modelId"]!, (string)alert["machineId"]!);
        var text = $"{Title(notification, alert)}: {alert["message"]}";
        return page is null ? text : $"{text}\n{page}";
    }

    private static string ThemeColor(NotificationEvent notification, JsonObject? alert) => notification switch
    {
        NotificationEvent.Resolved => "2EB886",
        _ => (string?)alert?["severity"] switch
        {
            "CRITICAL" => "D13438",
            "WARNING" => "FFB900",
            _ => "0078D4",
        },
    };
}
