using ModelPerformance.GraphQL;
using ModelPerformance.GraphQL.Pages;
using ModelPerformance.GraphQL.Rest;
using ModelPerformance.GraphQL.Security;
using Orleans.Dashboard;

namespace ModelPerformance.Silo.Hosting;

public static class EndpointExtensions
{
    /// <summary>
    /// Health probes, the GraphQL API (with Banana Cake Pop for browsers, and WebSockets for subscriptions), the
    /// dashboard page at <c>/</c>, and the Orleans dashboard for whoever runs the cluster.
    /// </summary>
    public static WebApplication MapModelPerformanceEndpoints(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseModelPerformanceDashboardAssets();
        app.UseModelPerformanceSecurity();
        app.UseModelPerformancePageSignIn();
        app.MapModelPerformanceHealth();
        app.MapModelPerformanceMetrics();
        app.MapModelPerformanceGraphQL();
        app.MapModelPerformanceRest();
        app.MapModelPerformanceDashboard();
        app.MapModelPerformanceSignIn();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
