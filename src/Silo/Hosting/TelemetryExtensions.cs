using ModelPerformance.Grains.Telemetry;
using OpenTelemetry.Metrics;

namespace ModelPerformance.Silo.Hosting;

public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The service's meters (<c>modelperf.*</c>), Orleans' and ASP.NET Core's, for Prometheus to scrape at <see cref="MetricsPath"/>.</summary>
    public static IServiceCollection AddModelPerformanceTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServiceMeters.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapModelPerformanceMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
