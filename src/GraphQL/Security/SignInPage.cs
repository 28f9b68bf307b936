using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.GraphQL.Pages;
using ModelPerformance.Grains.Security;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// The pages (the dashboard page, Banana Cake Pop, the Orleans dashboard) need VIEWER while authentication is on. A
/// browser without credentials is sent to <c>/signin</c>, which takes an API key and keeps it in an HttpOnly,
/// SameSite=Strict cookie that the pages' own API calls then carry. The pages' static assets and <c>/health/*</c> stay open.
/// </summary>
public static class SignInPage
{
    public const string Path = "/signin";

    public static IApplicationBuilder UseModelPerformancePageSignIn(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var callers = http.RequestServices.GetRequiredService<CallerResolver>();
        if (callers.Enabled && IsPage(http.Request))
        {
            var (caller, _) = await callers.ResolveAsync(http);
            if (caller is null || !caller.Authenticated || !caller.May(Role.Viewer))
            {
                http.Response.Redirect($"{Path}?returnUrl={WebUtility.UrlEncode(http.Request.Path + http.Request.QueryString)}");
                return;
            }
        }
        await next(http);
    });

    private static bool IsPage(HttpRequest request) =>
        request.Path == "/" || request.Path == "/ui/model-performance" || request.Path.StartsWithSegments("/dashboard")
        || (request.Path == BananaCakePop.Path && BananaCakePop.IsIdeRequest(request));

    public static IEndpointRouteBuilder MapModelPerformanceSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (HttpContext http) => Form(http.Request.Query["returnUrl"], null));
        endpoints.MapPost(Path, async (HttpContext http, ApiKeys keys) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var returnUrl = form["returnUrl"].ToString();
            var key = form["key"].ToString().Trim();
            if (key.Length == 0 || await keys.CheckAsync(key, http.RequestAborted) is not { } caller || !caller.May(Role.Viewer))
            {
                return Form(returnUrl, "That key is unknown, revoked or has no role that may view.", StatusCodes.Status401Unauthorized);
            }
            http.Response.Cookies.Append(ApiKeyAuthenticationHandler.CookieName, key, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
                MaxAge = TimeSpan.FromDays(7),
            });
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
        }).DisableAntiforgery();
        endpoints.MapPost("/signout", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(ApiKeyAuthenticationHandler.CookieName, new CookieOptions { Path = "/" });
            return Results.Redirect(Path);
        }).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>Only a path on this site: not another host (<c>//evil</c>, <c>/\evil</c>, absolute URLs).</summary>
    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Form(string? returnUrl, string? problem, int status = StatusCodes.Status200OK)
    {
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>Sign in · Model performance</title><link rel="icon" href="data:,">
            <style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;margin:0}
            form{display:flex;flex-direction:column;gap:.8rem;min-width:min(360px,90vw)}input,button{font:inherit;padding:.5rem}
            .problem{color:#b91c1c;font-weight:600}</style></head>
            <body><form method="post" action="{{Path}}">
            <h1>Model performance</h1>
            <label for="key">API key (a key with VIEWER or more)</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "/")}}">
            {{(problem is null ? "" : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>")}}
            <button type="submit">Sign in</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
