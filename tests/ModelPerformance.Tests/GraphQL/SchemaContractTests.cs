using GraphQL;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Visitors;
using Microsoft.Extensions.DependencyInjection;

namespace ModelPerformance.Tests.GraphQL;

[Collection(GraphQLServiceCollection.Name)]
public sealed class SchemaContractTests(GraphQLServiceFixture fixture)
{
    private static readonly SDLPrinter Printer = new();

    private static readonly string CheckedInSchema = Path.Combine(Repository.Root, "src", "GraphQL", "schema.graphql");

    private string PrintedSchema => fixture.Service.Services.GetRequiredService<ISchema>().Print().ReplaceLineEndings("\n");

    [Fact]
    public void The_served_schema_has_every_type_field_argument_and_value_of_the_contract()
    {
        var contract = ContractTypes();
        var served = Types(PrintedSchema);
        var problems = new List<string>();

        foreach (var (name, expected) in contract)
        {
            if (!served.TryGetValue(name, out var actual))
            {
                problems.Add($"type {name} is missing");
            }
            else if (actual.GetType() != expected.GetType())
            {
                problems.Add($"{name} is a {actual.Kind}, the contract says {expected.Kind}");
            }
            else
            {
                CompareType(name, expected, actual, problems);
            }
        }

        Assert.True(problems.Count == 0, "The schema breaks the contract:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_checked_in_schema_is_what_the_service_prints()
    {
        var printed = PrintedSchema;
        var checkedIn = File.Exists(CheckedInSchema) ? File.ReadAllText(CheckedInSchema).ReplaceLineEndings("\n") : "";
        var actualCopy = Path.Combine(AppContext.BaseDirectory, "schema.printed.graphql");
        File.WriteAllText(actualCopy, printed);

        Assert.True(printed == checkedIn,
            $"The service's schema differs from {CheckedInSchema}. If the change is intended, copy {actualCopy} over it so that reviewers see the change.");
    }

    private static void CompareType(string name, GraphQLTypeDefinition expected, GraphQLTypeDefinition actual, List<string> problems)
    {
        switch (expected, actual)
        {
            case (GraphQLObjectTypeDefinition e, GraphQLObjectTypeDefinition a):
                var fields = (a.Fields?.Items ?? []).ToDictionary(f => f.Name.StringValue);
                foreach (var field in e.Fields?.Items ?? [])
                {
                    if (!fields.TryGetValue(field.Name.StringValue, out var served))
                    {
                        problems.Add($"field {name}.{field.Name} is missing");
                        continue;
                    }
                    CompareTypeReference($"{name}.{field.Name}", field.Type, served.Type, problems);
                    CompareArguments($"{name}.{field.Name}", field.Arguments?.Items ?? [], served.Arguments?.Items ?? [], problems);
                }
                break;
            case (GraphQLInputObjectTypeDefinition e, GraphQLInputObjectTypeDefinition a):
                CompareArguments(name, e.Fields?.Items ?? [], a.Fields?.Items ?? [], problems);
                break;
            case (GraphQLEnumTypeDefinition e, GraphQLEnumTypeDefinition a):
                var values = (a.Values?.Items ?? []).Select(v => v.Name.StringValue).ToHashSet();
                problems.AddRange((e.Values?.Items ?? []).Where(v => !values.Contains(v.Name.StringValue)).Select(v => $"enum value {name}.{v.Name} is missing"));
                break;
        }
    }

    /// <summary>Arguments and input fields: each of the contract's, same type and default; added ones optional.</summary>
    private static void CompareArguments(string owner, IEnumerable<GraphQLInputValueDefinition> expected, IEnumerable<GraphQLInputValueDefinition> actual, List<string> problems)
    {
        var served = actual.ToDictionary(a => a.Name.StringValue);
        var contract = expected.ToDictionary(e => e.Name.StringValue);
        foreach (var (name, input) in contract)
        {
            if (!served.TryGetValue(name, out var a))
            {
                problems.Add($"{owner}({name}) is missing");
                continue;
            }
            CompareTypeReference($"{owner}({name})", input.Type, a.Type, problems);
            var expectedDefault = input.DefaultValue is { } e ? Printer.Print(e) : null;
            var actualDefault = a.DefaultValue is { } d ? Printer.Print(d) : null;
            if (expectedDefault != actualDefault)
            {
                problems.Add($"{owner}({name}) defaults to {actualDefault ?? "nothing"}, the contract says {expectedDefault ?? "nothing"}");
            }
        }
        problems.AddRange(served.Values
            .Where(a => !contract.ContainsKey(a.Name.StringValue) && a.Type is GraphQLNonNullType && a.DefaultValue is null)
            .Select(a => $"{owner}({a.Name}) is an added required input, which breaks existing clients"));
    }

    private static void CompareTypeReference(string what, GraphQLType expected, GraphQLType actual, List<string> problems)
    {
        if (TypeName(expected) != TypeName(actual))
        {
            problems.Add($"{what} is {TypeName(actual)}, the contract says {TypeName(expected)}");
        }
    }

    private static string TypeName(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => TypeName(nonNull.Type) + "!",
        GraphQLListType list => $"[{TypeName(list.Type)}]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => type.Kind.ToString(),
    };

    /// <summary>The extensions whose features are built: part of the contract, in shared/contract/extensions.</summary>
    private static readonly string[] BuiltExtensions = ["retraining.graphql", "dashboard.graphql", "security.graphql", "notifications.graphql"];

    /// <summary>The contract's schema with the built extensions' types added and their <c>extend</c>s merged in.</summary>
    private static Dictionary<string, GraphQLTypeDefinition> ContractTypes()
    {
        var types = Types(File.ReadAllText(Repository.ContractSchema));
        var folder = Path.Combine(Path.GetDirectoryName(Repository.ContractSchema)!, "extensions");
        foreach (var extension in BuiltExtensions)
        {
            var document = Parser.Parse(File.ReadAllText(Path.Combine(folder, extension)));
            foreach (var definition in document.Definitions)
            {
                switch (definition)
                {
                    case GraphQLTypeDefinition added:
                        types[added.Name.StringValue] = added;
                        break;
                    case GraphQLObjectTypeExtension { Fields: { } fields } extended when types[extended.Name.StringValue] is GraphQLObjectTypeDefinition { Fields: { } baseFields }:
                        baseFields.Items.AddRange(fields.Items);
                        break;
                    case GraphQLInputObjectTypeExtension { Fields: { } fields } extended when types[extended.Name.StringValue] is GraphQLInputObjectTypeDefinition { Fields: { } baseFields }:
                        baseFields.Items.AddRange(fields.Items);
                        break;
                    default:
                        throw new InvalidOperationException($"{extension}: a {definition.Kind} the contract test does not merge");
                }
            }
        }
        return types;
    }

    private static Dictionary<string, GraphQLTypeDefinition> Types(string sdl) =>
        Parser.Parse(sdl).Definitions.OfType<GraphQLTypeDefinition>().ToDictionary(t => t.Name.StringValue);
}
