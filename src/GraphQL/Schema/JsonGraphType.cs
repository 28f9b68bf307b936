using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// The contract's <c>JSON</c>: any JSON value. Inputs arrive as a <see cref="JsonNode"/> (null for JSON
/// null) whether written inline or passed as a variable; outputs are DTO fields holding raw JSON text,
/// which resolvers hand over through <see cref="FromText"/>.
/// </summary>
public sealed class JsonGraphType : ScalarGraphType
{
    public JsonGraphType()
    {
        Name = "JSON";
        Description = "Any JSON value.";
    }

    /// <summary>Raw JSON text of a DTO as an output value; null stays null.</summary>
    public static JsonNode? FromText(string? json) => json is null ? null : JsonNode.Parse(json);

    public override object? ParseLiteral(GraphQLValue value) => FromLiteral(value);

    public override object? ParseValue(object? value) => FromClr(value);

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        JsonNode or JsonElement => value,
        _ => FromClr(value),
    };

    private JsonNode? FromLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLIntValue i => long.TryParse(i.Value.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? JsonValue.Create(l)
            : JsonValue.Create(double.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLFloatValue f => JsonValue.Create(double.Parse(f.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLStringValue s => JsonValue.Create((string)s.Value),
        GraphQLEnumValue e => JsonValue.Create((string)e.Name.Value),
        GraphQLListValue list => new JsonArray((list.Values ?? []).Select(FromLiteral).ToArray()),
        GraphQLObjectValue obj => new JsonObject((obj.Fields ?? []).Select(f => KeyValuePair.Create((string)f.Name.Value, FromLiteral(f.Value)))),
        _ => (JsonNode?)ThrowLiteralConversionError(value),
    };

    // Variables come from GraphQL.SystemTextJson as dictionaries, lists and primitives.
    private JsonNode? FromClr(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonSerializer.SerializeToNode(element),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or short or byte or sbyte or uint or ushort => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : (JsonNode?)ThrowValueConversionError(value),
        float f => JsonValue.Create((double)f),
        decimal m => JsonValue.Create(m),
        BigInteger big => JsonValue.Create((double)big),
        IDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, FromClr(p.Value)))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(FromClr).ToArray()),
        _ => (JsonNode?)ThrowValueConversionError(value),
    };
}
