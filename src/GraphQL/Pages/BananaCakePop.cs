using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ModelPerformance.GraphQL.Pages;

/// <summary>
/// Banana Cake Pop, ChilliCream's GraphQL IDE, for people exploring the API in a browser: its static build
/// (npm <c>@chillicream/bananacakepop-graphql-ide</c>, copied by the build to <c>wwwroot/bcp</c>) is
/// served under the endpoint itself, and <c>bcp-config.json</c> points it at the endpoint.
/// </summary>
public sealed class BananaCakePop
{
    public const string Path = "/graphql";

    private readonly PhysicalFileProvider? files;
    private readonly Lazy<string?> index;

    public BananaCakePop()
    {
        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "wwwroot", "bcp");
        files = Directory.Exists(root) ? new PhysicalFileProvider(root) : null;
        index = new Lazy<string?>(() => files?.GetFileInfo("index.html") is { Exists: true, PhysicalPath: { } path } ? File.ReadAllText(path) : null);
    }

    /// <summary>A browser opening the endpoint: a GET that asks for HTML and carries no query.</summary>
    public static bool IsIdeRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Query.ContainsKey("query")
        && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The IDE's index.html, with a base element: its assets are relative ("static/js/..."), and the
    /// endpoint's URL has no trailing slash.
    /// </summary>
    public IResult Index(HttpContext http)
    {
        if (index.Value is not { } html)
        {
            return Results.Text("Banana Cake Pop is not part of this build: run `npm ci` at the repository root and build again.", "text/plain", statusCode: StatusCodes.Status404NotFound);
        }
        var baseHref = $"<base href=\"{http.Request.PathBase}{Path}/\"/>";
        return Results.Content(html.Replace("<head>", "<head>" + baseHref, StringComparison.Ordinal), "text/html; charset=utf-8");
    }

    /// <summary>The IDE reads this on load: the endpoint it talks to, relative to wherever the page is served.</summary>
    public static IResult Config(HttpContext http) => Results.Json(new
    {
        endpoint = $"{http.Request.PathBase}{Path}",
        useBrowserUrlAsEndpoint = true,
        title = "Model performance service",
        disableTelemetry = true,
    }, JsonSerializerOptions.Web);

    public IResult Asset(string file)
    {
        if (files?.GetFileInfo(file) is not { Exists: true, IsDirectory: false, PhysicalPath: { } path })
        {
            return Results.NotFound();
        }
        if (!ContentTypes.TryGetContentType(path, out var contentType))
        {
            contentType = "application/octet-stream";
        }
        return Results.File(path, contentType, enableRangeProcessing: true);
    }

    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ContentTypes = new();
}
