using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.AspNetCore.Http;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Rest;

/// <summary>
/// Runs a REST route as the GraphQL operation it stands for, through the same executor, validation, roles, limits, error codes and audit
/// as <c>/graphql</c>, so the two faces cannot disagree; only the JSON's shape differs (<see cref="RestShapes"/>). Errors answer with the
/// HTTP status of their code and <c>{"error": {"code", "message", "field"}}</c>.
/// </summary>
public sealed class RestExecution(IDocumentExecuter<ModelPerformanceSchema> executer, IGraphQLTextSerializer serializer, CallerResolver callers, AuditTrail audit)
{
    /// <param name="query">The operation; its variables are <paramref name="variables"/>.</param>
    /// <param name="answer">The answer made from the operation's data, when it has no error.</param>
    /// <param name="inputPrefix">The GraphQL argument a route's body stands for (its errors' paths start below it).</param>
    public async Task RunAsync(HttpContext http, string query, JsonObject variables, Func<JsonObject, (int Status, JsonNode? Body)> answer, string? inputPrefix = null)
    {
        var (caller, refused) = await callers.ResolveAsync(http);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteErrorAsync(http, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", refused!, null);
            return;
        }
        var request = new GraphQLRequest { Query = query, Variables = serializer.Deserialize<Inputs>(variables.ToJsonString()) };
        var options = RequestExecution.Options(request, http, caller, http.RequestAborted);
        IValidationRule[] rules = [RoleRule.Instance, RootFieldRule.Instance];
        options.ValidationRules = DocumentValidator.CoreRules.Concat(rules);
        options.CachedDocumentValidationRules = rules;
        var result = await executer.ExecuteAsync(options);
        audit.Record(result, request, caller);

        if (result.Errors is { Count: > 0 } errors)
        {
            var info = new ContractErrorInfoProvider().GetInfo(errors[0]);
            var code = info.Extensions?["code"] as string ?? "INTERNAL";
            var path = info.Extensions is { } extensions && extensions.TryGetValue("inputPath", out var inputPath) && inputPath is IEnumerable<object> segments
                ? segments.Select(p => p.ToString()!).ToList()
                : [];
            if (inputPrefix is not null && path.FirstOrDefault() == inputPrefix)
            {
                path.RemoveAt(0);
            }
            await WriteErrorAsync(http, StatusOf(code), code, info.Message, path.Count == 0 ? null : string.Join('.', path.Select(RestShapes.Snake)));
            return;
        }
        var data = JsonNode.Parse(serializer.Serialize(result))!["data"]!.AsObject();
        var (status, body) = answer(data);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body?.ToJsonString() ?? "null", http.RequestAborted);
    }

    public static int StatusOf(string code) => code switch
    {
        "BAD_USER_INPUT" => StatusCodes.Status400BadRequest,
        "UNAUTHENTICATED" => StatusCodes.Status401Unauthorized,
        "FORBIDDEN" => StatusCodes.Status403Forbidden,
        "NOT_FOUND" => StatusCodes.Status404NotFound,
        "CONFLICT" => StatusCodes.Status409Conflict,
        "RATE_LIMITED" => StatusCodes.Status429TooManyRequests,
        "UNAVAILABLE" => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static async Task WriteErrorAsync(HttpContext http, int status, string code, string message, string? field)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new { error = new { code, message, field } }, cancellationToken: http.RequestAborted);
    }
}
