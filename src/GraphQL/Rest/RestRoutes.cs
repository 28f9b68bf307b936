using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;
using Scalar.AspNetCore;

namespace ModelPerformance.GraphQL.Rest;

/// <summary>
/// The seven REST routes of the service this one replaces (SEMANTICS.md, REST routes), under <see cref="Prefix"/>. Each is the GraphQL
/// field it names, run by <see cref="RestExecution"/>: the same validation, roles, limits and codes; JSON in snake_case.
/// </summary>
public static class RestRoutes
{
    public const string Prefix = "/api/v1/model-performance";
    public const string OpenApiPath = "/api/v1/openapi.json";
    public const string ExplorerPath = "/api/docs";

    /// <summary>Alerts one <c>alerts/active</c> answer holds at most, of each unresolved status.</summary>
    public const int MaxActiveAlerts = 1_000;

    public static IEndpointRouteBuilder MapModelPerformanceRest(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).RequireRateLimiting(SecurityExtensions.RateLimitPolicy).WithTags("model-performance");

        group.MapPost("metrics/record", Handler(http => BodyAsync(http, "recordEvaluation", "RecordEvaluationInput", StatusCodes.Status201Created)))
            .WithSummary("Record an evaluation (a RecordEvaluationInput); 201 with the Evaluation.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created);

        group.MapGet("metrics/trend", Handler(http =>
            {
                var q = http.Request.Query;
                var variables = new JsonObject
                {
                    ["m"] = (string?)q["model_id"], ["c"] = (string?)q["machine_id"], ["metric"] = ((string?)q["metric"])?.ToUpperInvariant(),
                    ["bucket"] = ((string?)q["bucket"] ?? "hour").ToUpperInvariant(), ["from"] = (string?)q["from"], ["to"] = (string?)q["to"],
                };
                return RunAsync(http, "query($m: ID!, $c: ID!, $metric: Metric!, $bucket: Bucket, $from: DateTime, $to: DateTime) { monitor(modelId: $m, machineId: $c) " +
                    $"{{ trend(metric: $metric, bucket: $bucket, from: $from, to: $to) {{ {Selection(http, "TrendPoint")} }} }} }}", variables,
                    data => data["monitor"] is JsonObject monitor
                        ? (StatusCodes.Status200OK, RestShapes.Out(monitor["trend"], Field(http, "Monitor", "trend")))
                        : NotFound($"no monitor {variables["m"]}/{variables["c"]}", "model_id"));
            }))
            .WithSummary("The trend of one metric: ?model_id&machine_id&metric=rmse&bucket=hour&from&to (bucket hour, day, week or month).")
            .Produces<JsonArray>();

        group.MapPost("drift/check", Handler(http => KeyAsync(http, "checkDrift", "DriftReport", StatusCodes.Status200OK)))
            .WithSummary("Run a drift check now: {model_id, machine_id}; 200 with the DriftReport.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>();

        group.MapPost("retrain/trigger", Handler(http => KeyAsync(http, "triggerRetrain", "TrainingJob", StatusCodes.Status202Accepted, withReason: true)))
            .WithSummary("Start retraining: {model_id, machine_id, reason}; 202 with the TrainingJob.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status202Accepted);

        group.MapPost("ab-test/start", Handler(http => BodyAsync(http, "startAbTest", "StartAbTestInput", StatusCodes.Status201Created)))
            .WithSummary("Start an A/B test (a StartAbTestInput); 201 with the AbTest.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created);

        group.MapGet("ab-test/{id}/results", (HttpContext http, string id) =>
                RunAsync(http, $"query($id: ID!) {{ abTest(id: $id) {{ results {{ {Selection(http, "AbTestResults")} }} }} }}", new JsonObject { ["id"] = id },
                    data => data["abTest"] is JsonObject test
                        ? (StatusCodes.Status200OK, RestShapes.Out(test["results"], Field(http, "AbTest", "results")))
                        : NotFound($"no A/B test {id}", "id")))
            .WithSummary("The results of an A/B test; 404 for an unknown id.")
            .Produces<JsonObject>().Produces(StatusCodes.Status404NotFound);

        group.MapGet("alerts/active", Handler(http =>
            {
                var q = http.Request.Query;
                var variables = new JsonObject
                {
                    ["machineId"] = (string?)q["machine_id"], ["modelType"] = (string?)q["model_type"], ["severity"] = ((string?)q["severity"])?.ToUpperInvariant(),
                    ["first"] = MaxActiveAlerts,
                };
                var selection = Selection(http, "Alert");
                return RunAsync(http, "query($machineId: ID, $modelType: String, $severity: Severity, $first: Int) { " +
                    $"open: alerts(status: OPEN, machineId: $machineId, modelType: $modelType, severity: $severity, first: $first) {{ {selection} }} " +
                    $"acknowledged: alerts(status: ACKNOWLEDGED, machineId: $machineId, modelType: $modelType, severity: $severity, first: $first) {{ {selection} }} }}",
                    variables, data =>
                    {
                        var type = Field(http, "Query", "alerts");
                        // As v_unresolved_model_alerts orders them: CRITICAL first, then newest first.
                        var alerts = data["open"]!.AsArray().Concat(data["acknowledged"]!.AsArray()).OfType<JsonObject>()
                            .OrderByDescending(a => SeverityRank((string)a["severity"]!))
                            .ThenByDescending(a => DateTime.Parse((string)a["createdAt"]!, null, System.Globalization.DateTimeStyles.RoundtripKind))
                            .Select(a => a.DeepClone()).ToArray();
                        return (StatusCodes.Status200OK, RestShapes.Out(new JsonArray(alerts), type));
                    });
            }))
            .WithSummary("Alerts that are not RESOLVED: ?machine_id&model_type&severity; CRITICAL first, then newest first.")
            .Produces<JsonArray>();

        endpoints.MapOpenApi(OpenApiPath);
        endpoints.MapScalarApiReference(ExplorerPath, o => o.WithOpenApiRoutePattern(OpenApiPath).WithTitle("Model performance REST routes"));
        return endpoints;
    }

    /// <summary>The routes' services: their runner, and an OpenAPI document that describes them alone (not /graphql or the pages).</summary>
    public static IServiceCollection AddModelPerformanceRest(this IServiceCollection services)
    {
        services.AddSingleton<RestExecution>();
        services.AddOpenApi(o => o.ShouldInclude = d => d.RelativePath?.StartsWith(Prefix.TrimStart('/'), StringComparison.Ordinal) == true);
        return services;
    }

    /// <summary>A handler as a delegate, so the route gets OpenAPI metadata; it writes its own answer.</summary>
    private static Delegate Handler(Func<HttpContext, Task> handle) => handle;

    private static int SeverityRank(string severity) => severity switch { "CRITICAL" => 2, "WARNING" => 1, _ => 0 };

    /// <summary>A route whose body is the input object of a mutation's <c>input</c> argument.</summary>
    private static async Task BodyAsync(HttpContext http, string field, string inputType, int status)
    {
        if (await ReadBodyAsync(http) is not { } body)
        {
            return;
        }
        var schema = SchemaOf(http);
        var input = RestShapes.In(body, (IGraphType)schema.AllTypes[inputType]!);
        var type = schema.Mutation!.GetField(field)!.ResolvedType!;
        await RunAsync(http, $"mutation($input: {inputType}!) {{ {field}(input: $input) {{ {Selection(http, RestShapes.Unwrap(type).Name)} }} }}",
            new JsonObject { ["input"] = input }, data => (status, RestShapes.Out(data[field], type)), "input");
    }

    /// <summary>A route whose body names a monitor (and, for retraining, a reason), for a mutation taking modelId and machineId.</summary>
    private static async Task KeyAsync(HttpContext http, string field, string resultType, int status, bool withReason = false)
    {
        if (await ReadBodyAsync(http) is not { } body)
        {
            return;
        }
        var variables = new JsonObject { ["m"] = body["model_id"]?.DeepClone(), ["c"] = body["machine_id"]?.DeepClone() };
        if (withReason)
        {
            variables["reason"] = body["reason"]?.DeepClone();
        }
        var type = SchemaOf(http).Mutation!.GetField(field)!.ResolvedType!;
        await RunAsync(http, $"mutation($m: ID!, $c: ID!{(withReason ? ", $reason: String" : "")}) {{ {field}(modelId: $m, machineId: $c" +
            $"{(withReason ? ", reason: $reason" : "")}) {{ {Selection(http, resultType)} }} }}", variables, data => (status, RestShapes.Out(data[field], type)));
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            if (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) is JsonObject body)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }
        await RestExecution.WriteErrorAsync(http, StatusCodes.Status400BadRequest, "BAD_USER_INPUT", "The body must be a JSON object.", null);
        return null;
    }

    private static Task RunAsync(HttpContext http, string query, JsonObject variables, Func<JsonObject, (int, JsonNode?)> answer, string? inputPrefix = null) =>
        http.RequestServices.GetRequiredService<RestExecution>().RunAsync(http, query, variables, answer, inputPrefix);

    private static (int, JsonNode?) NotFound(string message, string field) =>
        (StatusCodes.Status404NotFound, new JsonObject { ["error"] = new JsonObject { ["code"] = "NOT_FOUND", ["message"] = message, ["field"] = field } });

    private static ModelPerformanceSchema SchemaOf(HttpContext http)
    {
        var schema = http.RequestServices.GetRequiredService<ModelPerformanceSchema>();
        schema.Initialize();
        return schema;
    }

    /// <summary>Selections by type name, made once: the schema does not change while the service runs.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Selections = new();

    private static string Selection(HttpContext http, string typeName) =>
        Selections.GetOrAdd(typeName, name => RestShapes.Selection((IComplexGraphType)SchemaOf(http).AllTypes[name]!));

    private static IGraphType Field(HttpContext http, string typeName, string field) =>
        ((IComplexGraphType)SchemaOf(http).AllTypes[typeName]!).GetField(field)!.ResolvedType!;
}
