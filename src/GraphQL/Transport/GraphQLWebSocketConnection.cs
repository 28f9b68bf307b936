using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using GraphQL.Validation;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Security;

using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// One graphql-transport-ws socket. A read loop handles the client's messages in order; everything the
/// server sends goes through one bounded queue and one writer loop, which keeps writes serialized and
/// makes a slow or dead client cost a bounded amount: when its queue overflows, the socket is closed
/// (1008) and its subscriptions end, while event delivery to everyone else goes on. A subscription is live
/// before the next message of its socket is handled, so a client that got an answer to a later message
/// knows it misses no event.
/// </summary>
internal sealed partial class GraphQLWebSocketConnection(
    WebSocket socket,
    HttpContext http,
    IDocumentExecuter<ModelPerformanceSchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLWebSocketOptions options,
    Caller upgradeCaller,
    CallerResolver callers,
    AuditTrail audit,
    ILogger logger)
{
    /// <summary>Who the socket's operations run as: from the upgrade request, or from connection_init's authorization.</summary>
    private Caller caller = upgradeCaller;

    private readonly ILogger logger = logger;

    /// <summary>Close reasons are limited to 123 UTF-8 bytes by the WebSocket protocol.</summary>
    private const int MaxReasonLength = 120;

    private readonly Channel<OperationMessage> outbox = Channel.CreateBounded<OperationMessage>(
        new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Cancelled to cut the socket off: at the end, or when a closing client does not take the close frame in time.</summary>
    private readonly CancellationTokenSource abort = new();

    private readonly ConcurrentDictionary<string, Operation> operations = new(StringComparer.Ordinal);
    private readonly Lock closeGate = new();
    private bool closing;
    private WebSocketCloseStatus closeStatus;
    private string? closeReason;
    private volatile bool initialised;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var stopping = serverStopping.Register(() => Close(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down."));
        var writing = WriteLoopAsync();
        var initTimeout = EnforceInitTimeoutAsync();
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away, or was cut off after it did not answer a close.
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, null);
            StopOperations();
            await writing;
            await abort.CancelAsync();
            await initTimeout;
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.GetMemory(4096), abort.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the client's close with its own code.
                    Close(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription);
                    return;
                }
                buffer.Advance(received.Count);
                if (buffer.WrittenCount > options.MaxMessageBytes)
                {
                    Close(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {options.MaxMessageBytes} bytes.");
                    return;
                }
            }
            while (!received.EndOfMessage);

            if (received.MessageType != WebSocketMessageType.Text)
            {
                Close(CloseCodes.BadRequest, "Invalid message received: messages are JSON text.");
                return;
            }
            if (!await ReceiveAsync(Encoding.UTF8.GetString(buffer.WrittenSpan)))
            {
                return;
            }
        }
    }

    /// <summary>Handles one client message; false when it closed the socket.</summary>
    private async Task<bool> ReceiveAsync(string text)
    {
        OperationMessage? message;
        try
        {
            message = serializer.Deserialize<OperationMessage>(text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            message = null;
        }
        switch (message?.Type)
        {
            case MessageTypes.ConnectionInit:
                if (initialised)
                {
                    return Close(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
                }
                if (!await AuthenticateAsync(message.Payload))
                {
                    return Close(CloseCodes.Forbidden, "Forbidden");
                }
                initialised = true;
                Send(new OperationMessage { Type = MessageTypes.ConnectionAck });
                return true;
            case MessageTypes.Ping:
                Send(new OperationMessage { Type = MessageTypes.Pong, Payload = message.Payload });
                return true;
            case MessageTypes.Pong:
                return true;
            case MessageTypes.Subscribe when !string.IsNullOrEmpty(message.Id):
                return initialised
                    ? await SubscribeAsync(message.Id, message.Payload)
                    : Close(CloseCodes.Unauthorized, "Unauthorized");
            case MessageTypes.Complete when !string.IsNullOrEmpty(message.Id):
                // A complete for an operation that already ended, or never was, is no error.
                if (operations.TryRemove(message.Id, out var operation))
                {
                    operation.Stop();
                }
                return true;
            default:
                return Close(CloseCodes.BadRequest, "Invalid message received");
        }
    }

    private async Task<bool> SubscribeAsync(string id, object? payload)
    {
        GraphQLRequest? request;
        try
        {
            request = serializer.ReadNode<GraphQLRequest>(payload);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            request = null;
        }
        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            return Close(CloseCodes.BadRequest, "Invalid message received: subscribe needs a payload with a query.");
        }
        var operation = new Operation(this, id);
        if (!operations.TryAdd(id, operation))
        {
            return Close(CloseCodes.SubscriberAlreadyExists, Truncate($"Subscriber for {id} already exists"));
        }
        if (operations.Count > options.MaxOperations)
        {
            operations.TryRemove(id, out _);
            Send(ErrorMessage(id, new ContractError(ErrorCode.BadUserInput, $"A socket runs at most {options.MaxOperations} operations at once.")));
            return true;
        }
        await operation.StartAsync(request);
        return true;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync())
            {
                if (IsClosing)
                {
                    break;
                }
                var bytes = Encoding.UTF8.GetBytes(serializer.Serialize(message));
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, abort.Token);
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(closeStatus, closeReason, abort.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Cut off, or the client is gone: nothing more can be sent.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing to a GraphQL WebSocket failed");
            await abort.CancelAsync();
        }
    }

    private async Task EnforceInitTimeoutAsync()
    {
        try
        {
            await Task.Delay(options.ConnectionInitWaitTimeout, abort.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!initialised)
        {
            Close(CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
    }

    private bool IsClosing
    {
        get
        {
            lock (closeGate)
            {
                return closing;
            }
        }
    }

    /// <summary>Queues a message; a full queue means the client does not keep up, and it is disconnected.</summary>
    private void Send(OperationMessage message)
    {
        if (!outbox.Writer.TryWrite(message))
        {
            Close(WebSocketCloseStatus.PolicyViolation, $"More than {options.SendQueueCapacity} messages waiting: the client reads too slowly.");
        }
    }

    /// <summary>
    /// Starts closing (the first call wins): nothing more is queued, the subscriptions end at once, the writer
    /// sends the close frame, and a client that does not take it within the close timeout is cut off.
    /// Returns false, for the read loop's "stop reading".
    /// </summary>
    private bool Close(WebSocketCloseStatus status, string? reason)
    {
        lock (closeGate)
        {
            if (closing)
            {
                return false;
            }
            closing = true;
            closeStatus = status;
            closeReason = reason;
        }
        outbox.Writer.TryComplete();
        StopOperations();
        abort.CancelAfter(options.CloseTimeout);
        return false;
    }

    private void StopOperations()
    {
        foreach (var id in operations.Keys)
        {
            if (operations.TryRemove(id, out var operation))
            {
                operation.Stop();
            }
        }
    }

    /// <summary>
    /// connection_init may carry <c>{"authorization": "Bearer &lt;key or token&gt;"}</c>; refused credentials, or none while
    /// authentication is on and the upgrade request had none either, end the socket (4403).
    /// </summary>
    private async Task<bool> AuthenticateAsync(object? payload)
    {
        string? authorization = null;
        try
        {
            authorization = payload is null ? null : serializer.ReadNode<Inputs>(payload)?.GetValueOrDefault("authorization") as string;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return false;
        }
        if (!string.IsNullOrWhiteSpace(authorization) && callers.Enabled)
        {
            if (await callers.ResolveAsync(http, authorization) is not { } presented)
            {
                return false;
            }
            caller = presented;
        }
        return !ReferenceEquals(caller, Caller.Unauthenticated);
    }

    private Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, IDocumentExecutionListener listener, CancellationToken cancellationToken)
    {
        var options = RequestExecution.Options(request, http, caller, cancellationToken);
        IValidationRule[] rules = [RoleRule.Instance, RootFieldRule.Instance];
        options.ValidationRules = DocumentValidator.CoreRules.Concat(rules);
        options.CachedDocumentValidationRules = rules;
        options.Listeners.Add(listener);
        return ExecuteAndAuditAsync(options, request);
    }

    private async Task<ExecutionResult> ExecuteAndAuditAsync(ExecutionOptions options, GraphQLRequest request)
    {
        var result = await executer.ExecuteAsync(options);
        audit.Record(result, request, caller);
        return result;
    }

    private static string Truncate(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];

    private OperationMessage ErrorMessage(string id, params ExecutionError[] errors) =>
        new() { Id = id, Type = MessageTypes.Error, Payload = errors };

    private static class MessageTypes
    {
        public const string ConnectionInit = "connection_init";
        public const string ConnectionAck = "connection_ack";
        public const string Ping = "ping";
        public const string Pong = "pong";
        public const string Subscribe = "subscribe";
        public const string Next = "next";
        public const string Error = "error";
        public const string Complete = "complete";
    }
}
