using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// Parsed and validated documents by query text. Clients send the same few documents with new variables, and
/// parsing plus the core validation rules cost more than the work of a single mutation (profiled: about a
/// quarter of the CPU of a <c>recordEvaluation</c> call). On a hit only the rules that depend on the request
/// run: <see cref="ExecutionOptions.CachedDocumentValidationRules"/> (the transport's GET/POST rule), variable
/// coercion (the validator always does it), and the complexity analyzer when a <c>first</c>/<c>last</c>
/// argument takes a variable, since that is the only way variables change a document's complexity.
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution
{
    /// <summary>Longer queries are not cached: they are rare, and a few would fill the cache.</summary>
    public const int MaxQueryLength = 20_000;

    /// <summary>Bound on the cached query text (the parsed documents take a small multiple of it).</summary>
    public const int MaxCachedLength = 2_000_000;

    private readonly ConcurrentDictionary<string, Entry> documents = new(StringComparer.Ordinal);
    private int cachedLength;

    /// <summary>After the configurations that add validation rules (100), so that a hit can drop them.</summary>
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { Length: > 0 and <= MaxQueryLength } query)
        {
            return await next(options);
        }
        if (documents.TryGetValue(query, out var entry))
        {
            options.Document = entry.Document;
            var cached = options.CachedDocumentValidationRules ?? [];
            options.ValidationRules = entry.ComplexityReadsVariables
                ? cached.Concat((options.ValidationRules ?? []).OfType<ComplexityValidationRule>()).ToList()
                : cached;
            return await next(options);
        }

        var result = await next(options);
        if (result.Executed && result.Document is { } document)
        {
            await AddAsync(query, document);
        }
        return result;
    }

    /// <summary>The validated document of a query that has executed before, or null.</summary>
    public GraphQLDocument? Find(string query) => documents.TryGetValue(query, out var entry) ? entry.Document : null;

    private async ValueTask AddAsync(string query, GraphQLDocument document)
    {
        // Unique queries (inline literals) must not grow the cache without bound: when full, start over, so
        // that the documents in use now come back at once.
        if (Interlocked.Add(ref cachedLength, query.Length) > MaxCachedLength)
        {
            documents.Clear();
            Interlocked.Exchange(ref cachedLength, query.Length);
        }
        var finder = new PagingVariableFinder();
        await finder.VisitAsync(document, finder);
        if (!documents.TryAdd(query, new Entry(document, finder.Found)))
        {
            Interlocked.Add(ref cachedLength, -query.Length);
        }
    }

    private sealed record Entry(GraphQLDocument Document, bool ComplexityReadsVariables);

    /// <summary>
    /// Finds a <c>first</c> or <c>last</c> argument that takes a variable: the complexity analyzer's list
    /// estimate reads their values, so such a document's complexity depends on the request.
    /// </summary>
    private sealed class PagingVariableFinder : ASTVisitor<PagingVariableFinder>, IASTVisitorContext
    {
        public bool Found { get; private set; }

        public CancellationToken CancellationToken => CancellationToken.None;

        protected override ValueTask VisitArgumentAsync(GraphQLArgument argument, PagingVariableFinder context)
        {
            if (argument.Value is GraphQLVariable && (argument.Name.Value == "first" || argument.Name.Value == "last"))
            {
                Found = true;
            }
            return base.VisitArgumentAsync(argument, context);
        }
    }
}
