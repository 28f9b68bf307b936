using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelPerformance.Tests.Subscriptions;

/// <summary>A raw graphql-transport-ws client, for the protocol's error paths that real clients never take.</summary>
public sealed class WebSocketClient : IAsyncDisposable
{
    public const string SubProtocol = "graphql-transport-ws";

    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket socket;

    private WebSocketClient(ClientWebSocket socket) => this.socket = socket;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? NegotiatedSubProtocol => socket.SubProtocol;

    /// <param name="headers">Headers of the upgrade request, e.g. credentials.</param>
    public static async Task<WebSocketClient> ConnectAsync(Uri httpBase, string? subProtocol = SubProtocol, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        var uri = new UriBuilder(httpBase) { Scheme = "ws", Path = "/graphql" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new WebSocketClient(socket);
    }

    /// <summary>Connects and completes the handshake (connection_init, connection_ack).</summary>
    public static async Task<WebSocketClient> ConnectAndInitAsync(Uri httpBase)
    {
        var client = await ConnectAsync(httpBase);
        await client.SendAsync(new { type = "connection_init" });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"]?.GetValue<string>());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>
    /// Returns once the server handles messages sent after this call: it answers the ping only after every
    /// earlier message, and a subscription is live before the next message is handled.
    /// </summary>
    public async Task SyncAsync()
    {
        await SendAsync(new { type = "ping" });
        var pong = await ReceiveAsync();
        Assert.Equal("pong", pong?["type"]?.GetValue<string>());
    }

    /// <summary>The next message, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray());
    }

    /// <summary>Reads until the server closes the socket and returns the close code.</summary>
    public async Task<int> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
        return (int)socket.CloseStatus!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }
        socket.Dispose();
    }
}
