using ModelPerformance.Grains.Notifications;

namespace ModelPerformance.Silo.Hosting;

public static class ServiceAddressExtensions
{
    /// <summary>
    /// Notes the first address the service listens on once it has started, for links in notifications; an address bound to every
    /// interface is written with <c>localhost</c>. Production sets <c>Notifications:PublicUrl</c> instead.
    /// </summary>
    public static WebApplication RecordServiceAddress(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Urls.FirstOrDefault() is { } first)
            {
                app.Services.GetRequiredService<ServiceAddress>().Url = first.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost")
                    .Replace("://+", "://localhost").Replace("://*", "://localhost");
            }
        });
        return app;
    }
}
