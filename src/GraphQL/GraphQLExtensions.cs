using GraphQL;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.GraphQL.AbTests;
using ModelPerformance.GraphQL.Dashboard;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Notifications;
using ModelPerformance.GraphQL.Pages;
using ModelPerformance.GraphQL.Rest;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL;

public static class GraphQLExtensions
{
    /// <summary>
    /// Depth and complexity bounds: far above what the dashboard or any sane client sends (the largest
    /// list, 10,000 evaluations with their metrics, costs about 100,000), far below what hurts a silo.
    /// </summary>
    public const int MaxDepth = 20;
    public const int MaxComplexity = 250_000;
    public const int MaxRootFields = 1_000;

    /// <summary>
    /// The contract schema on GraphQL.NET, with its errors mapped to the contract's codes and with depth and
    /// complexity limits, so that one request cannot occupy a silo; resolvers reach grains through
    /// <see cref="MonitorGateway"/> and history through the host's <c>IMonitorHistory</c>.
    /// </summary>
    public static IServiceCollection AddModelPerformanceGraphQL(this IServiceCollection services)
    {
        services.AddGraphQL(b => b
            .AddSchema<ModelPerformanceSchema>()
            .AddGraphTypes(typeof(ModelPerformanceSchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<ContractErrorInfoProvider>()
            .AddUnhandledExceptionHandler(ContractErrorInfoProvider.HandleUnhandled)
            .ConfigureExecution(sp => sp.GetRequiredService<ValidatedDocumentCache>())
            .AddComplexityAnalyzer(o =>
            {
                o.MaxDepth = MaxDepth;
                o.MaxComplexity = MaxComplexity;
                // Introspection answers are bounded by the schema's size, whatever the estimate says (an IDE's
                // full introspection query is estimated at about a million).
                var estimate = o.DefaultComplexityImpactDelegate;
                o.DefaultComplexityImpactDelegate = field =>
                    field.ParentType.Name.StartsWith("__", StringComparison.Ordinal) || field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
                        ? new FieldComplexityResult(0, 1)
                        : estimate(field);
            }));
        services.AddSingleton<MonitorReferences>();
        services.AddSingleton<MonitorGateway>();
        services.AddSingleton<AbTestService>();
        services.AddSingleton<NotificationService>();
        services.AddModelPerformanceRest();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());
        services.AddSingleton(s => new EvaluationLanes(s.GetRequiredService<MonitorReferences>().For));
        services.AddSingleton<MonitorTaskCheck>();
        services.AddSingleton<EvaluationWatches>();
        services.AddHostedService(sp => sp.GetRequiredService<EvaluationWatches>());
        services.AddSingleton<ValidatedDocumentCache>();
        services.AddSingleton<BatchRequestReader>();
        services.AddSingleton<GraphQLHttpHandler>();
        services.AddSingleton<GraphQLWebSocketHandler>();
        services.AddOptions<GraphQLWebSocketOptions>().BindConfiguration(GraphQLWebSocketOptions.Section);
        services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.Section);
        services.AddSingleton<BananaCakePop>();
        return services;
    }

    /// <summary>
    /// <c>/graphql</c> serves the API over HTTP (POST, and GET for queries), over WebSocket (graphql-transport-ws,
    /// for subscriptions) and, to a browser, Banana Cake Pop: one URL for people and programs, as GraphQL
    /// servers usually do. The host must use the WebSockets middleware.
    /// </summary>
    public static IEndpointRouteBuilder MapModelPerformanceGraphQL(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(BananaCakePop.Path, (HttpContext http, GraphQLHttpHandler handler) => handler.HandleAsync(http)).RequireRateLimiting(SecurityExtensions.RateLimitPolicy);
        endpoints.MapGet(BananaCakePop.Path, async (HttpContext http, GraphQLHttpHandler handler, GraphQLWebSocketHandler webSockets, BananaCakePop ide) =>
        {
            if (http.WebSockets.IsWebSocketRequest)
            {
                await webSockets.HandleAsync(http);
                return;
            }
            if (BananaCakePop.IsIdeRequest(http.Request))
            {
                await ide.Index(http).ExecuteAsync(http);
                return;
            }
            await handler.HandleAsync(http);
        });
        endpoints.MapGet($"{BananaCakePop.Path}/bcp-config.json", BananaCakePop.Config);
        endpoints.MapGet($"{BananaCakePop.Path}/{{**file}}", (string file, BananaCakePop ide) => ide.Asset(file));
        return endpoints;
    }
}
