using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Notifications;
using ModelPerformance.Grains.Security;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Security;

namespace ModelPerformance.GraphQL.Notifications;

/// <summary>
/// Notification channels, silences and deliveries behind the API: every input check (each naming its field under <c>input</c>), and
/// the TEST send. Routing and delivery themselves live in the grains' notification outbox and dispatcher.
/// </summary>
public sealed class NotificationService(INotificationStore store, NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const int MaxNameLength = 128;
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 1024;
    public const int MaxListItems = 1_000;
    public const int MaxRepeatIntervalMinutes = 10_080;
    public const int MaxSilenceMinutes = 31 * 24 * 60;
    public const int MaxCommentLength = 2_000;
    public const int MaxDeliveriesPerQuery = 1_000;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<NotificationChannel> CreateChannelAsync(IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken)
    {
        var channel = Channel(input, Guid.CreateVersion7(), Now, existingSecret: null);
        await store.CreateChannelAsync(channel, cancellationToken);
        return channel;
    }

    /// <summary>Replaces a channel's settings; a secret left out (or null) keeps the one it has, an empty one removes it.</summary>
    public async Task<NotificationChannel> UpdateChannelAsync(string id, IReadOnlyDictionary<string, object?> input, CancellationToken cancellationToken)
    {
        var existing = await ChannelAsync(id, cancellationToken);
        var updated = await store.UpdateChannelAsync(Channel(input, existing.Id, existing.CreatedAt, existing.Secret), cancellationToken);
        return updated ?? throw ServiceException.NotFound($"no notification channel {id}", "id");
    }

    public async Task<bool> DeleteChannelAsync(string id, CancellationToken cancellationToken) =>
        await store.DeleteChannelAsync(ChannelId(id), Now, cancellationToken) ? true : throw ServiceException.NotFound($"no notification channel {id}", "id");

    public Task<IReadOnlyList<NotificationChannel>> ChannelsAsync(CancellationToken cancellationToken) => store.ChannelsAsync(cancellationToken);

    /// <summary>Sends a TEST event to the channel now; the delivery comes back as its first attempt left it (a retry, if due, follows).</summary>
    public async Task<NotificationDelivery> TestChannelAsync(string id, CancellationToken cancellationToken)
    {
        var channel = await ChannelAsync(id, cancellationToken);
        var now = Now;
        var work = await store.AddClaimedAsync(NotificationOutbox.Test(channel, now), now + options.Value.Lease, cancellationToken)
                   ?? throw ServiceException.NotFound($"no notification channel {id}", "id");
        return await dispatcher.SendNowAsync(work, cancellationToken);
    }

    public async Task<Silence> CreateSilenceAsync(IReadOnlyDictionary<string, object?> input, Caller caller, CancellationToken cancellationToken)
    {
        var modelId = OptionalId(input, "modelId");
        var machineId = OptionalId(input, "machineId");
        var modelType = InputValidator.OptionalText(input.GetValueOrDefault("modelType"), ["input"], "modelType");
        var type = input.GetValueOrDefault("type") as AlertType?;
        if (modelId is null && machineId is null && modelType is null && type is null)
        {
            throw ServiceException.BadInput("a silence needs at least one matcher: modelId, machineId, modelType or type", "input");
        }
        var minutes = input.GetValueOrDefault("durationMinutes") as int? ?? 0;
        if (minutes is < 1 or > MaxSilenceMinutes)
        {
            throw ServiceException.BadInput($"durationMinutes must be 1 to {MaxSilenceMinutes} (31 days)", "input", "durationMinutes");
        }
        var comment = input.GetValueOrDefault("comment") as string;
        if (comment is { Length: > MaxCommentLength })
        {
            throw ServiceException.BadInput($"comment must be at most {MaxCommentLength} characters", "input", "comment");
        }
        var now = Now;
        var silence = new Silence(Guid.CreateVersion7(), modelId, machineId, modelType, type, now, now.AddMinutes(minutes), caller.Name, comment);
        await store.CreateSilenceAsync(silence, cancellationToken);
        return silence;
    }

    public async Task<Silence> ExpireSilenceAsync(string id, CancellationToken cancellationToken) =>
        (Guid.TryParse(id, out var guid) ? await store.ExpireSilenceAsync(guid, Now, cancellationToken) : null)
        ?? throw ServiceException.NotFound($"no silence {id}", "id");

    public Task<IReadOnlyList<Silence>> SilencesAsync(bool? active, CancellationToken cancellationToken) => store.SilencesAsync(active, Now, cancellationToken);

    public bool IsActive(Silence silence) => silence.IsActive(Now);

    public Task<IReadOnlyList<NotificationDelivery>> DeliveriesAsync(string? alertId, string? channelId, DeliveryStatus? status, int? first,
        CancellationToken cancellationToken)
    {
        var filter = new DeliveryFilter(
            alertId is null ? null : Guid.TryParse(alertId, out var alert) ? alert : throw ServiceException.BadInput("alertId must be an alert id (a UUID)", "alertId"),
            channelId is null ? null : ChannelId(channelId, "channelId"),
            status);
        return store.DeliveriesAsync(filter, InputValidator.First(first, 100, MaxDeliveriesPerQuery), cancellationToken);
    }

    /// <summary>
    /// A channel's address as a caller may see it: in full for ADMIN, who manages channels; else only its scheme and host, since a
    /// Slack or Teams address is itself a credential.
    /// </summary>
    public static string VisibleUrl(string url, Caller caller) =>
        caller.May(Role.Admin) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) ? url : $"{uri.GetLeftPart(UriPartial.Authority)}/…";

    private NotificationChannel Channel(IReadOnlyDictionary<string, object?> input, Guid id, DateTime createdAt, string? existingSecret)
    {
        var name = (input.GetValueOrDefault("name") as string)?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            throw ServiceException.BadInput($"name must be 1 to {MaxNameLength} characters", "input", "name");
        }
        var kind = input.GetValueOrDefault("kind") as ChannelKind? ?? throw ServiceException.BadInput("kind is required", "input", "kind");
        var url = input.GetValueOrDefault("url") as string;
        if (url is null || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw ServiceException.BadInput($"url must be an absolute http or https address of at most {MaxUrlLength} characters", "input", "url");
        }
        var repeat = input.GetValueOrDefault("repeatIntervalMinutes") as int? ?? 240;
        if (repeat is < 0 or > MaxRepeatIntervalMinutes)
        {
            throw ServiceException.BadInput($"repeatIntervalMinutes must be 0 (no reminders) to {MaxRepeatIntervalMinutes} (a week)", "input", "repeatIntervalMinutes");
        }
        return new NotificationChannel(id, name, kind, url,
            input.GetValueOrDefault("minSeverity") as Severity? ?? Severity.Warning,
            List(input, "types", (v, path) => v as AlertType? ?? throw ServiceException.BadInput("types must be alert types", path)),
            List(input, "machineIds", (v, path) => v as string is { } m && MonitorKey.IsValidId(m) ? m
                : throw ServiceException.BadInput("machineIds must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", path)),
            List(input, "modelTypes", (v, path) => v as string is { Length: >= 1 and <= InputValidator.MaxTextLength } t ? t
                : throw ServiceException.BadInput($"modelTypes must be 1 to {InputValidator.MaxTextLength} characters", path)),
            repeat,
            Secret(input, kind, existingSecret),
            input.GetValueOrDefault("enabled") as bool? ?? true,
            createdAt);
    }

    /// <summary>WEBHOOK bodies are signed; the other kinds carry their own credential in the address and keep no secret.</summary>
    private static string? Secret(IReadOnlyDictionary<string, object?> input, ChannelKind kind, string? existing)
    {
        var given = input.GetValueOrDefault("secret") as string;
        if (given is { Length: > 0 } && kind != ChannelKind.Webhook)
        {
            throw ServiceException.BadInput("secret signs WEBHOOK bodies only; SLACK and TEAMS channels take none", "input", "secret");
        }
        if (given is { Length: > MaxSecretLength })
        {
            throw ServiceException.BadInput($"secret must be at most {MaxSecretLength} characters", "input", "secret");
        }
        return kind != ChannelKind.Webhook ? null : given switch
        {
            null => existing,
            "" => null,
            _ => given,
        };
    }

    /// <summary>Null (match all), or 1 to <see cref="MaxListItems"/> items each checked by <paramref name="item"/>.</summary>
    private static IReadOnlyList<T>? List<T>(IReadOnlyDictionary<string, object?> input, string field, Func<object?, object[], T> item)
    {
        if (input.GetValueOrDefault(field) is not IEnumerable<object?> values)
        {
            return null;
        }
        var items = values.Select((v, i) => item(v, ["input", field, i])).Distinct().ToList();
        if (items.Count is 0 or > MaxListItems)
        {
            throw ServiceException.BadInput($"{field} must hold 1 to {MaxListItems} items, or be null to match all", "input", field);
        }
        return items;
    }

    private static string? OptionalId(IReadOnlyDictionary<string, object?> input, string field) =>
        input.GetValueOrDefault(field) is not { } value ? null
            : value as string is { } id && MonitorKey.IsValidId(id) ? id
            : throw ServiceException.BadInput($"{field} must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", "input", field);

    private async Task<NotificationChannel> ChannelAsync(string id, CancellationToken cancellationToken) =>
        await store.GetChannelAsync(ChannelId(id), cancellationToken) ?? throw ServiceException.NotFound($"no notification channel {id}", "id");

    private static Guid ChannelId(string id, string field = "id") =>
        Guid.TryParse(id, out var guid) ? guid : throw ServiceException.BadInput($"{field} must be a channel id (a UUID)", field);
}
