using Orleans.Dashboard;

namespace ModelPerformance.Silo.Hosting;

public static class EndpointExtensions
{
    /// <summary>Health probes, and the Orleans dashboard for whoever runs the cluster.</summary>
    public static WebApplication MapModelPerformanceEndpoints(this WebApplication app)
    {
        app.MapModelPerformanceHealth();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
