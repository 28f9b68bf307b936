using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using ModelPerformance.GraphQL.Monitors;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// The quick way in for batch mutations over HTTP. A POST body whose variables are all lists of an input type with a
/// reader of its own (<see cref="EvaluationListJsonReader"/>), for a document that has executed before, is read in one
/// pass into its request and <see cref="PreReadVariables"/>. Anything else (a document not seen yet, other variables,
/// extensions, an unexpected member or value) is declined, and GraphQL.NET's serializer reads the body as always.
/// </summary>
public sealed class BatchRequestReader(ValidatedDocumentCache documents)
{
    private delegate object? ListReader(ref Utf8JsonReader reader);

    /// <summary>Readers by the named type of a list variable's items.</summary>
    private static readonly Dictionary<string, ListReader> Readers = new(StringComparer.Ordinal)
    {
        [EvaluationListJsonReader.ItemTypeName] = EvaluationListJsonReader.TryRead,
    };

    public (GraphQLRequest Request, PreReadVariables Variables)? TryRead(ReadOnlySpan<byte> body)
    {
        try
        {
            return Read(body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A malformed body (bad JSON, a string that is not UTF-8) gets the answer GraphQL.NET's serializer gives it.
            return null;
        }
    }

    private (GraphQLRequest, PreReadVariables)? Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? query = null, operationName = null;
        GraphQLOperationDefinition? operation = null;
        Dictionary<string, object?>? variables = null;
        var variablesStart = -1;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = reader.ValueTextEquals("query"u8) ? 0
                : reader.ValueTextEquals("operationName"u8) ? 1
                : reader.ValueTextEquals("variables"u8) ? 2
                : reader.ValueTextEquals("extensions"u8) ? 3
                : -1;
            if (member < 0 || (seen & (1 << member)) != 0 || !reader.Read())
            {
                return null;
            }
            seen |= 1 << member;
            switch (member, reader.TokenType)
            {
                case (0, JsonTokenType.String):
                    query = reader.GetString()!;
                    operation = documents.Find(query) is { } document ? SingleOperation(document) : null;
                    if (operation is null)
                    {
                        return null;
                    }
                    break;
                case (1, JsonTokenType.String or JsonTokenType.Null):
                    operationName = reader.GetString();
                    break;
                case (2, JsonTokenType.StartObject) when operation is not null:
                    variables = ReadVariables(ref reader, operation);
                    if (variables is null)
                    {
                        return null;
                    }
                    break;
                case (2, JsonTokenType.StartObject):
                    // Before the query: read once the document is known.
                    variablesStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    break;
                case (3, JsonTokenType.Null):
                    break;
                default:
                    return null;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || operation is null
            || (operationName is not null && operationName != operation.Name?.StringValue))
        {
            return null;
        }
        if (variablesStart >= 0)
        {
            var later = new Utf8JsonReader(body[variablesStart..]);
            later.Read();
            variables = ReadVariables(ref later, operation);
        }
        return variables is null
            ? null
            : (new GraphQLRequest { Query = query, OperationName = operationName, Variables = new Inputs(variables) }, new PreReadVariables(variables));
    }

    /// <summary>The document's operation when it has one only: with several, the general path picks one by name.</summary>
    private static GraphQLOperationDefinition? SingleOperation(GraphQLDocument document)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().Take(2).ToList();
        return operations.Count == 1 ? operations[0] : null;
    }

    /// <summary>Every variable read by its list reader, or null; the reader starts on the variables' <c>{</c>.</summary>
    private static Dictionary<string, object?>? ReadVariables(ref Utf8JsonReader reader, GraphQLOperationDefinition operation)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (values.ContainsKey(name) || ListReaderOf(operation, name) is not { } read || !reader.Read() || read(ref reader) is not { } value)
            {
                return null;
            }
            values[name] = value;
        }
        return values.Count > 0 ? values : null;
    }

    /// <summary>The reader of a variable declared as a list of non-null items of a type with a reader (<c>[T!]</c> or <c>[T!]!</c>).</summary>
    private static ListReader? ListReaderOf(GraphQLOperationDefinition operation, string name)
    {
        var definition = operation.Variables?.Items.FirstOrDefault(v => v.Variable.Name.StringValue == name);
        var type = definition?.Type is GraphQLNonNullType outer ? outer.Type : definition?.Type;
        return type is GraphQLListType { Type: GraphQLNonNullType { Type: GraphQLNamedType item } }
            ? Readers.GetValueOrDefault(item.Name.StringValue)
            : null;
    }
}
