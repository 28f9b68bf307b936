namespace ModelPerformance.GraphQL.Transport;

/// <summary>Limits of the graphql-transport-ws endpoint, from configuration section <see cref="Section"/>.</summary>
public sealed class GraphQLWebSocketOptions
{
    public const string Section = "GraphQL:WebSocket";

    /// <summary>How long a new socket may wait before its <c>connection_init</c> (the reference server's 3 s).</summary>
    public TimeSpan ConnectionInitWaitTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Messages one socket may have waiting to be sent. A client that reads slower than its subscriptions
    /// produce fills it and is disconnected, so it holds at most this much of the server's memory.
    /// </summary>
    public int SendQueueCapacity { get; set; } = 1_000;

    /// <summary>How long a closing socket may take to accept the close frame before it is cut off.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Operations one socket may run at once; each holds a subscription on the event hub.</summary>
    public int MaxOperations { get; set; } = 100;

    /// <summary>Largest message a client may send, the same bound as an HTTP request body.</summary>
    public int MaxMessageBytes { get; set; } = (int)GraphQLHttpHandler.MaxBodyBytes;
}
