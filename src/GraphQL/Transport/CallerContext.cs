using GraphQL;
using ModelPerformance.GraphQL.Security;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>The request's user context: who calls, as the transport authenticated them (over WebSocket, for the whole connection).</summary>
public sealed class CallerContext(Caller caller) : Dictionary<string, object?>
{
    public Caller Caller { get; } = caller;

    /// <summary>Variables the transport read straight into the resolvers' types, if any.</summary>
    public PreReadVariables? PreRead { get; init; }

    /// <summary>The caller of a resolver's request.</summary>
    public static Caller Of(IResolveFieldContext context) => (context.UserContext as CallerContext)?.Caller ?? Caller.Unauthenticated;
}
