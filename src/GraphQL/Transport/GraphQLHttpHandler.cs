using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;

using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// GraphQL over HTTP (the graphql-over-http draft, as the graphql-http audit checks it): POST with a JSON
/// body, GET with the query string; the response media type follows Accept. With
/// <c>application/graphql-response+json</c> a request that never executed (parse, validation or variable
/// failure) is 400; with <c>application/json</c> it is 200, as legacy clients expect.
/// </summary>
public sealed class GraphQLHttpHandler(IDocumentExecuter<ModelPerformanceSchema> executer, IGraphQLTextSerializer serializer, BatchRequestReader batches,
    CallerResolver callers, AuditTrail audit)
{
    /// <summary>Largest request body: 10,000 evaluations (the most one call takes) fit well within it.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    public async Task HandleAsync(HttpContext http)
    {
        var mediaType = NegotiateMediaType(http.Request);
        if (mediaType is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status406NotAcceptable, JsonMediaType, $"Accept must allow {GraphQLResponseMediaType} or {JsonMediaType}.");
            return;
        }

        var isGet = HttpMethods.IsGet(http.Request.Method);
        var (request, preRead, status, problem) = isGet ? ReadQueryString(http.Request) : await ReadBodyAsync(http);
        if (request is null)
        {
            await WriteErrorAsync(http, status, mediaType, problem!);
            return;
        }
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, mediaType, "The request has no query.");
            return;
        }

        var (caller, refused) = await callers.ResolveAsync(http);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteCodeAsync(http, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", refused!, mediaType);
            return;
        }

        // The GET/POST rule and the roles depend on the request, not only on the document: they run for cached documents too.
        IValidationRule[] requestRules = [isGet ? HttpOperationRule.Get : HttpOperationRule.Post, RoleRule.Instance, RootFieldRule.Instance];
        var options = RequestExecution.Options(request, http, caller, http.RequestAborted, preRead);
        options.ValidationRules = DocumentValidator.CoreRules.Concat(requestRules);
        options.CachedDocumentValidationRules = requestRules;
        var result = await executer.ExecuteAsync(options);
        audit.Record(result, request, caller);

        if (result.Errors?.Any(e => e is MutationOverGetError) == true)
        {
            http.Response.Headers.Allow = "POST";
            status = StatusCodes.Status405MethodNotAllowed;
        }
        else if (result.Errors?.OfType<AccessError>().FirstOrDefault() is { } access)
        {
            if (access.ContractCode == ErrorCode.Unauthenticated)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
            }
            status = access.ContractCode == ErrorCode.Unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        }
        else
        {
            status = !result.Executed && mediaType == GraphQLResponseMediaType ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        }
        await WriteAsync(http, status, mediaType, result);
    }

    private static string? NegotiateMediaType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0)
        {
            return JsonMediaType;
        }
        foreach (var media in accepted.Where(m => m.Quality is not 0).OrderByDescending(m => m.Quality ?? 1))
        {
            if (media.MediaType.Equals(GraphQLResponseMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseMediaType;
            }
            if (media.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) || media.MatchesAllTypes || media.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return JsonMediaType;
            }
        }
        return null;
    }

    private (GraphQLRequest? Request, PreReadVariables? PreRead, int Status, string? Problem) ReadQueryString(HttpRequest request)
    {
        var query = request.Query;
        try
        {
            return (new GraphQLRequest
            {
                Query = query["query"],
                OperationName = NullIfEmpty(query["operationName"]),
                Variables = NullIfEmpty(query["variables"]) is { } variables ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = NullIfEmpty(query["extensions"]) is { } extensions ? serializer.Deserialize<Inputs>(extensions) : null,
            }, null, 0, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, null, StatusCodes.Status400BadRequest, "variables and extensions must be JSON objects.");
        }
    }

    private async Task<(GraphQLRequest? Request, PreReadVariables? PreRead, int Status, string? Problem)> ReadBodyAsync(HttpContext http)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, null, StatusCodes.Status415UnsupportedMediaType, $"A POST must have Content-Type {JsonMediaType} (UTF-8).");
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, null, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {MaxBodyBytes} bytes.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var body = new PooledBody();
        try
        {
            await body.ReadAsync(http.Request.Body, http.Request.ContentLength, http.RequestAborted);
            if (batches.TryRead(body.Span) is var (batch, preRead))
            {
                return (batch, preRead, 0, null);
            }
            var request = await serializer.ReadAsync<GraphQLRequest>(body.AsStream(), http.RequestAborted);
            return request is null
                ? (null, null, StatusCodes.Status400BadRequest, "The request body must be a JSON object.")
                : (request, null, 0, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, null, StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {MaxBodyBytes} bytes.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return (null, null, StatusCodes.Status400BadRequest, "The request body is not a valid GraphQL request: a JSON object with a string query, and optional operationName, variables and extensions.");
        }
    }

    private Task WriteErrorAsync(HttpContext http, int status, string mediaType, string message) =>
        WriteAsync(http, status, mediaType, new ExecutionResult
        {
            Executed = false,
            Errors = [new ContractError(ErrorCode.BadUserInput, message)],
        });

    private async Task WriteAsync(HttpContext http, int status, string mediaType, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>An answer with one error and its contract code, for refusals made before GraphQL runs (credentials, the rate limit).</summary>
    public static async Task WriteCodeAsync(HttpContext http, int status, string code, string message, string mediaType = JsonMediaType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new { errors = new[] { new { message, extensions = new { code } } } },
            cancellationToken: http.RequestAborted);
    }
}
