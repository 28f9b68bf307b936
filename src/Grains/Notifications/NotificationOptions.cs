namespace ModelPerformance.Grains.Notifications;

/// <summary>Settings of alert notifications (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Attempts of one delivery before it is FAILED (SEMANTICS.md: at most 6).</summary>
    public int Attempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; it doubles for each one after (SEMANTICS.md: 1 s).</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a receiver has to answer one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often every silo looks for deliveries due, besides being woken by its own alerts: retries, and deliveries another silo
    /// claimed and did not finish (it died) once their lease ends.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the dispatcher lets wakes gather before it claims, so a burst costs few claims; it adds this much to each delivery.</summary>
    public TimeSpan ClaimCoalescing { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How often open alerts are checked for reminders (REPEAT) due.</summary>
    public TimeSpan RepeatCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The length of a minute of <c>repeatIntervalMinutes</c>; shorter only in tests.</summary>
    public TimeSpan RepeatIntervalUnit { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries in flight on one silo, and to one channel: a slow receiver holds up only its own channel's share.</summary>
    public int MaxConcurrentSends { get; set; } = 64;

    public int MaxConcurrentSendsPerChannel { get; set; } = 4;

    /// <summary>
    /// The service's address as people reach it, for the dashboard link in Slack and Teams messages; when unset, the first address the
    /// service listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The settings out of range, each as "Key: why".</summary>
    public IEnumerable<string> Problems()
    {
        if (Attempts < 1)
        {
            yield return $"Attempts must be at least 1, not {Attempts}";
        }
        foreach (var (name, value) in new[] { ("FirstBackoff", FirstBackoff), ("AttemptTimeout", AttemptTimeout), ("PollInterval", PollInterval),
                     ("RepeatCheckInterval", RepeatCheckInterval), ("RepeatIntervalUnit", RepeatIntervalUnit) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"{name} must be longer than zero, not {value}";
            }
        }
        if (ClaimCoalescing < TimeSpan.Zero)
        {
            yield return $"ClaimCoalescing must not be negative, not {ClaimCoalescing}";
        }
        if (MaxConcurrentSends < 1 || MaxConcurrentSendsPerChannel < 1)
        {
            yield return $"MaxConcurrentSends and MaxConcurrentSendsPerChannel must be at least 1, not {MaxConcurrentSends} and {MaxConcurrentSendsPerChannel}";
        }
        if (PublicUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            yield return $"PublicUrl must be an absolute address, not '{url}'";
        }
    }

    /// <summary>How long a claimed delivery is held by its silo; a silo that dies releases its deliveries when this ends.</summary>
    public TimeSpan Lease => AttemptTimeout + TimeSpan.FromSeconds(5);
}
