using System.Net.WebSockets;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// GraphQL over WebSocket with the <c>graphql-transport-ws</c> subprotocol (the graphql-ws library's, which
/// Banana Cake Pop and the dashboard speak): subscriptions, and queries and mutations too.
/// </summary>
public sealed class GraphQLWebSocketHandler(
    IDocumentExecuter<ModelPerformanceSchema> executer,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLWebSocketOptions> options,
    IHostApplicationLifetime lifetime,
    CallerResolver callers,
    AuditTrail audit,
    ILogger<GraphQLWebSocketHandler> logger)
{
    public const string SubProtocol = "graphql-transport-ws";

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal))
        {
            // As the reference server does: accept, then say why with the protocol's close code.
            using var refused = await http.WebSockets.AcceptWebSocketAsync();
            using var timeout = new CancellationTokenSource(options.Value.CloseTimeout);
            await refused.CloseOutputAsync(CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable", timeout.Token);
            return;
        }
        var (caller, _) = await callers.ResolveAsync(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        if (caller is null)
        {
            using var timeout = new CancellationTokenSource(options.Value.CloseTimeout);
            await socket.CloseOutputAsync(CloseCodes.Forbidden, "Forbidden", timeout.Token);
            return;
        }
        var connection = new GraphQLWebSocketConnection(socket, http, executer, serializer, options.Value, caller, callers, audit, logger);
        await connection.RunAsync(lifetime.ApplicationStopping);
    }
}

/// <summary>The protocol's close codes (graphql-ws <c>CloseCode</c>).</summary>
internal static class CloseCodes
{
    public const WebSocketCloseStatus BadRequest = (WebSocketCloseStatus)4400;
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;
    public const WebSocketCloseStatus Forbidden = (WebSocketCloseStatus)4403;
    public const WebSocketCloseStatus SubprotocolNotAcceptable = (WebSocketCloseStatus)4406;
    public const WebSocketCloseStatus ConnectionInitialisationTimeout = (WebSocketCloseStatus)4408;
    public const WebSocketCloseStatus SubscriberAlreadyExists = (WebSocketCloseStatus)4409;
    public const WebSocketCloseStatus TooManyInitialisationRequests = (WebSocketCloseStatus)4429;
}
