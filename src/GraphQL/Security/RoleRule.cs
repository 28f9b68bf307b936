using GraphQL.Validation;
using GraphQLParser.AST;
using ModelPerformance.Grains.Interfaces;
using ErrorCode = ModelPerformance.Grains.Interfaces.ErrorCode;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// Roles, enforced in one place before anything runs: each root field of the operation (through fragments too) is
/// checked against <see cref="FieldRoles"/>. Without credentials a field that needs them is UNAUTHENTICATED (HTTP 401);
/// with a caller whose roles do not allow it, FORBIDDEN for that field. Either way the document does not execute.
/// </summary>
public sealed class RoleRule : ValidationRuleBase
{
    public static readonly RoleRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var caller = (context.UserContext as CallerContext)?.Caller ?? Caller.Unauthenticated;
        var operation = context.Operation.Operation;
        return new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            var parent = ctx.TypeInfo.GetParentType();
            if (parent is null || (parent != ctx.Schema.Query && parent != ctx.Schema.Mutation && parent != ctx.Schema.Subscription))
            {
                return;
            }
            var name = field.Name.StringValue;
            var (needsCredentials, role) = FieldRoles.For(operation, name);
            if (needsCredentials && ReferenceEquals(caller, Caller.Unauthenticated))
            {
                ctx.ReportError(new AccessError(ctx, field, ErrorCode.Unauthenticated,
                    "Credentials are required: an API key as Authorization: Bearer <key> or X-Api-Key, or a JWT bearer token."));
            }
            else if (role is { } needed && !caller.May(needed))
            {
                ctx.ReportError(new AccessError(ctx, field, ErrorCode.Forbidden,
                    $"{name} needs the role {needed.ToString().ToUpperInvariant()}; {caller.Name} has {string.Join(", ", caller.Roles.Select(r => r.ToString().ToUpperInvariant()).DefaultIfEmpty("none"))}."));
            }
        }));
    }
}

/// <summary>A refusal by <see cref="RoleRule"/>, with its contract code.</summary>
public sealed class AccessError : ValidationError
{
    public AccessError(ValidationContext context, GraphQLField field, ErrorCode code, string message)
        : base(context.Document.Source, null, message, field)
    {
        ContractCode = code;
        Field = field.Name.StringValue;
        Code = code == ErrorCode.Unauthenticated ? "UNAUTHENTICATED" : "FORBIDDEN";
    }

    public ErrorCode ContractCode { get; }

    /// <summary>The root field refused.</summary>
    public string Field { get; }
}
