namespace ModelPerformance.Grains.Notifications;

/// <summary>The address this silo's web server listens on, once it has started: the dashboard link when <c>Notifications:PublicUrl</c> is unset.</summary>
public sealed class ServiceAddress
{
    private volatile string? url;

    public string? Url
    {
        get => url;
        set => url = value;
    }
}
