using GraphQL.Validation;
using GraphQLParser.AST;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// What HTTP may run: GET only queries (a GET must be safe, so a mutation over GET is refused with 405),
/// and subscriptions never, since they need a stream (WebSocket, graphql-transport-ws).
/// </summary>
public sealed class HttpOperationRule : ValidationRuleBase
{
    public static readonly HttpOperationRule Get = new(isGet: true);
    public static readonly HttpOperationRule Post = new(isGet: false);

    private readonly bool isGet;

    private HttpOperationRule(bool isGet) => this.isGet = isGet;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var operation = context.Operation;
        if (isGet && operation.Operation == OperationType.Mutation)
        {
            context.ReportError(new MutationOverGetError(context, operation));
        }
        else if (operation.Operation == OperationType.Subscription)
        {
            context.ReportError(new ValidationError(context.Document.Source, null,
                "Subscriptions are served over WebSocket (subprotocol graphql-transport-ws) at this endpoint, not over HTTP.", operation)
            {
                Code = "SUBSCRIPTION_OVER_HTTP",
            });
        }
        return default;
    }
}

/// <summary>Marks the failure that the transport answers with 405 rather than 400.</summary>
public sealed class MutationOverGetError : ValidationError
{
    public MutationOverGetError(ValidationContext context, GraphQLOperationDefinition operation)
        : base(context.Document.Source, null, "Mutations must be sent with POST.", operation)
    {
        Code = "MUTATION_OVER_GET";
    }
}
