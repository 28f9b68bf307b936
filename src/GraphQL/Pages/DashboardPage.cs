using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ModelPerformance.GraphQL.Pages;

/// <summary>
/// The dashboard page for the people who watch the models: <c>index.html</c> at <c>/</c> (and at the old address
/// <c>/ui/model-performance</c>), its bundle under <c>/ui</c>, all from <c>wwwroot/ui</c>, which the build makes
/// from <c>src/Dashboard</c>. The page talks to the service only through <c>/graphql</c>.
/// </summary>
public static class DashboardPage
{
    public const string AssetPath = "/ui";

    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "ui");

    public static IApplicationBuilder UseModelPerformanceDashboardAssets(this IApplicationBuilder app)
    {
        if (Directory.Exists(Root))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(Root),
                RequestPath = AssetPath,
                // The bundle's names do not change between builds: browsers revalidate (ETag) instead of keeping an old one.
                OnPrepareResponse = c => c.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
            });
        }
        return app;
    }

    public static IEndpointRouteBuilder MapModelPerformanceDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Index);
        endpoints.MapGet("/ui/model-performance", Index);
        return endpoints;
    }

    private static IResult Index(HttpContext http)
    {
        var index = Path.Combine(Root, "index.html");
        if (!File.Exists(index))
        {
            return Results.Text("The dashboard page is not part of this build: run `npm ci` at the repository root and build again.", "text/plain",
                statusCode: StatusCodes.Status404NotFound);
        }
        http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return Results.File(index, "text/html; charset=utf-8");
    }
}
