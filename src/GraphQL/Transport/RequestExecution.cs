using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>What both transports hand GraphQL.NET for one request: the request itself, and who sent it over which connection.</summary>
internal static class RequestExecution
{
    /// <param name="preRead">Variables read ahead by the transport: GraphQL.NET gets placeholders in their place.</param>
    public static ExecutionOptions Options(GraphQLRequest request, HttpContext http, Security.Caller caller, CancellationToken cancellationToken, PreReadVariables? preRead = null) => new()
    {
        Query = request.Query,
        OperationName = request.OperationName,
        Variables = preRead?.Placeholders() ?? request.Variables,
        Extensions = request.Extensions,
        RequestServices = http.RequestServices,
        User = http.User,
        UserContext = new CallerContext(caller) { PreRead = preRead },
        CancellationToken = cancellationToken,
    };
}
