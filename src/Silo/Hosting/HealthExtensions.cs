using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ModelPerformance.Silo.Hosting;

public static class HealthExtensions
{
    public const string PathPrefix = "/health";

    private const string ReadyTag = "ready";

    /// <summary>
    /// Liveness says the process answers; readiness says this silo is an ACTIVE cluster member and, with
    /// PostgreSQL, that the database answers, so a load balancer sends nothing to a silo that cannot serve.
    /// </summary>
    public static IServiceCollection AddModelPerformanceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapModelPerformanceHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks($"{PathPrefix}/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks($"{PathPrefix}/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
