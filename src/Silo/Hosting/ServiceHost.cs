using ModelPerformance.GraphQL;
using ModelPerformance.GraphQL.Security;

namespace ModelPerformance.Silo.Hosting;

/// <summary>
/// The whole service as one <see cref="WebApplication"/>: what <c>Program</c> runs, and what the tests
/// start on free ports, so both exercise the same wiring.
/// </summary>
public static class ServiceHost
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="overrides">Configuration that wins over every other source (tests use it for ports and connection strings).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }
        ConfigurationCheck.ThrowIfInvalid(builder.Configuration);
        builder.AddModelPerformanceSilo();
        builder.Services.AddModelPerformanceHealthChecks();
        builder.Services.AddModelPerformanceTelemetry(builder.Configuration);
        builder.Services.AddModelPerformanceGraphQL();
        builder.Services.AddModelPerformanceSecurity(builder.Configuration, ServiceSettings.From(builder.Configuration).UsesPostgres);

        var app = builder.Build();
        app.MapModelPerformanceEndpoints();
        app.RecordServiceAddress();
        return app;
    }
}
