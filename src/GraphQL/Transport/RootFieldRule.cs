using GraphQL.Validation;
using GraphQLParser.AST;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// At most <see cref="GraphQLExtensions.MaxRootFields"/> root fields in one operation (aliases and fragments counted): each may be a grain
/// call or a query, so a flood of aliased root fields is refused before anything runs, however small each one's complexity.
/// </summary>
public sealed class RootFieldRule : ValidationRuleBase
{
    public static readonly RootFieldRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var count = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
        {
            var parent = ctx.TypeInfo.GetParentType();
            if (parent is null || (parent != ctx.Schema.Query && parent != ctx.Schema.Mutation && parent != ctx.Schema.Subscription))
            {
                return;
            }
            if (++count == GraphQLExtensions.MaxRootFields + 1)
            {
                ctx.ReportError(new ValidationError(ctx.Document.Source, null,
                    $"One operation may select at most {GraphQLExtensions.MaxRootFields} root fields (aliases included); split it into several requests.", field)
                {
                    Code = "TOO_MANY_ROOT_FIELDS",
                });
            }
        }));
    }
}
