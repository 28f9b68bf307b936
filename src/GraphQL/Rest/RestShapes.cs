using System.Text;
using System.Text.Json.Nodes;
using GraphQL.Types;

namespace ModelPerformance.GraphQL.Rest;

/// <summary>
/// The REST routes' JSON (SEMANTICS.md, REST routes): the GraphQL names in snake_case and enum values in lower case, both ways, guided by
/// the schema's types so that only enum values change case. The selection a route returns is every field of its type that takes no
/// arguments, two levels deep.
/// </summary>
public static class RestShapes
{
    public static string Snake(string camel)
    {
        var builder = new StringBuilder(camel.Length + 4);
        for (var i = 0; i < camel.Length; i++)
        {
            if (char.IsUpper(camel[i]) && i > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(camel[i]));
        }
        return builder.ToString();
    }

    public static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>A GraphQL result value of <paramref name="type"/> as the REST answer shows it.</summary>
    public static JsonNode? Out(JsonNode? value, IGraphType type) => (value, Unwrap(type)) switch
    {
        (null, _) => null,
        (JsonArray list, _) when type is ListGraphType or NonNullGraphType { ResolvedType: ListGraphType } =>
            new JsonArray(list.Select(v => Out(v, Item(type))).ToArray()),
        (JsonObject obj, IComplexGraphType complex) => new JsonObject(obj.Select(p =>
            new KeyValuePair<string, JsonNode?>(Snake(p.Key), complex.GetField(p.Key) is { } f ? Out(p.Value, f.ResolvedType!) : p.Value?.DeepClone()))),
        (JsonValue text, EnumerationGraphType) => text.GetValue<string>().ToLowerInvariant(),
        _ => value.DeepClone(),
    };

    /// <summary>A REST request's JSON as the variables of input type <paramref name="type"/>: names in camelCase, enum values in upper case.</summary>
    public static JsonNode? In(JsonNode? value, IGraphType type) => (value, Unwrap(type)) switch
    {
        (null, _) => null,
        (JsonArray list, _) when type is ListGraphType or NonNullGraphType { ResolvedType: ListGraphType } =>
            new JsonArray(list.Select(v => In(v, Item(type))).ToArray()),
        (JsonObject obj, IInputObjectGraphType input) => new JsonObject(obj.Select(p =>
            new KeyValuePair<string, JsonNode?>(Camel(p.Key), input.GetField(Camel(p.Key)) is { } f ? In(p.Value, f.ResolvedType!) : p.Value?.DeepClone()))),
        (JsonValue text, EnumerationGraphType) when text.TryGetValue<string>(out var name) => name.ToUpperInvariant(),
        _ => value.DeepClone(),
    };

    /// <summary>Every argument-free field of <paramref name="type"/>, objects <paramref name="depth"/> levels deep.</summary>
    public static string Selection(IComplexGraphType type, int depth = 2) => string.Join(' ', type.Fields
        .Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal) && (f.Arguments is null || f.Arguments.Count == 0))
        .Select(f => Unwrap(f.ResolvedType!) is IComplexGraphType inner
            ? depth == 0 ? null : $"{f.Name} {{ {Selection(inner, depth - 1)} }}"
            : f.Name)
        .OfType<string>());

    public static IGraphType Unwrap(IGraphType type) => type switch
    {
        NonNullGraphType nonNull => Unwrap(nonNull.ResolvedType!),
        ListGraphType list => Unwrap(list.ResolvedType!),
        _ => type,
    };

    private static IGraphType Item(IGraphType type) => type switch
    {
        NonNullGraphType nonNull => Item(nonNull.ResolvedType!),
        ListGraphType list => list.ResolvedType!,
        _ => type,
    };
}
