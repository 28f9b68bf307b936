using ModelPerformance.GraphQL;
using Orleans.Dashboard;

namespace ModelPerformance.Silo.Hosting;

public static class EndpointExtensions
{
    /// <summary>Health probes, the GraphQL API (with Banana Cake Pop for browsers), and the Orleans dashboard for whoever runs the cluster.</summary>
    public static WebApplication MapModelPerformanceEndpoints(this WebApplication app)
    {
        app.MapModelPerformanceHealth();
        app.MapModelPerformanceGraphQL();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
