using ModelPerformance.Grains.Telemetry;
using Npgsql;
using Orleans.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ModelPerformance.Silo.Hosting;

public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable (or configuration key) that turns on OTLP export.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string DefaultServiceName = "model-performance";

    /// <summary>The one instrument of Orleans' meter that is not collected.</summary>
    public const string DroppedOrleansInstrument = "orleans-directory-cache-size";

    /// <summary>
    /// Metrics: the service's meters (<c>modelperf.*</c>), Orleans', Npgsql's and ASP.NET Core's, for Prometheus to scrape at
    /// <see cref="MetricsPath"/>, and pushed by OTLP too when <see cref="OtlpEndpointKey"/> is set.
    /// Traces: a request's server span, the grain calls under it and the SQL they run, exported by OTLP. Tracing is only
    /// registered with an endpoint to send to: without one, recording every span of every request and call would cost
    /// CPU for nothing. The exporter reads the other <c>OTEL_*</c> settings (protocol, headers, batching) itself.
    /// </summary>
    public static IServiceCollection AddModelPerformanceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = ExportsOtlp(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(ServiceMeters.MeterName, "Microsoft.Orleans")
                    // Observing this gauge counts the silo's grain directory cache entry by entry: with 10,000 active
                    // monitors it was over a third of every scrape, and the Orleans dashboard's collection each second
                    // paid it too. The activation gauges say how many grains the silo holds.
                    .AddView(DroppedOrleansInstrument, MetricStreamConfiguration.Drop)
                    .AddNpgsqlInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ServiceActivities.SourceName)
                .AddSource(ActivitySources.ApplicationGrainActivitySourceName, ActivitySources.RuntimeActivitySourceName,
                    ActivitySources.LifecycleActivitySourceName, ActivitySources.StorageActivitySourceName)
                // Scrapes and probes come every few seconds and say nothing about the work: not traced.
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments(MetricsPath) && !http.Request.Path.StartsWithSegments(HealthExtensions.PathPrefix))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>True when OTLP export, and with it tracing, is configured.</summary>
    public static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    public static WebApplication MapModelPerformanceMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
