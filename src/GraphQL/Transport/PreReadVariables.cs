using System.Diagnostics.CodeAnalysis;
using GraphQL;
using GraphQLParser.AST;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// Variables that the HTTP transport read straight from the request's JSON into a resolver's own types
/// (<see cref="BatchRequestReader"/>), by variable name. GraphQL.NET coerces an empty list in place of each,
/// and the resolver of an argument given such a variable takes the value read here instead.
/// </summary>
public sealed class PreReadVariables(IReadOnlyDictionary<string, object?> values)
{
    public IReadOnlyDictionary<string, object?> Values { get; } = values;

    /// <summary>What GraphQL.NET coerces in their place: an empty list each, which every list type of a variable accepts.</summary>
    public Inputs Placeholders() => new(Values.Keys.ToDictionary(name => name, object? (_) => new List<object?>()));

    /// <summary>The pre-read value of <paramref name="argument"/>, when the field's argument is a variable read ahead as a <typeparamref name="T"/>.</summary>
    public static bool TryGet<T>(IResolveFieldContext context, string argument, [NotNullWhen(true)] out T? value) where T : class
    {
        value = context.UserContext is CallerContext { PreRead: { } read }
                && context.FieldAst.Arguments?.ValueFor(argument) is GraphQLVariable variable
                && read.Values.TryGetValue(variable.Name.StringValue, out var found)
            ? found as T
            : null;
        return value is not null;
    }
}
