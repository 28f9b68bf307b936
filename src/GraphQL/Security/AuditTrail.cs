using System.Threading.Channels;
using GraphQL;
using GraphQLParser.AST;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Security;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// Every mutation's root field, allowed or refused, as an audit entry: who, which field, on what (the monitor, the id,
/// or how many inputs), and the error code when it failed. Entries are written in the background, in batches, so the
/// log costs a request no database round trip.
/// </summary>
public sealed class AuditTrail : BackgroundService
{
    private const int BatchSize = 500;
    private const int MaxPending = 100_000;

    private readonly IAuditLog log;
    private readonly TimeProvider clock;
    private readonly ILogger<AuditTrail> logger;
    private readonly Channel<AuditEntry> pending;

    /// <summary>Entries dropped because the database fell <see cref="MaxPending"/> behind; logged after each batch, so no loss goes unnoticed.</summary>
    private long droppedCount;

    public AuditTrail(IAuditLog log, TimeProvider clock, ILogger<AuditTrail> logger)
    {
        this.log = log;
        this.clock = clock;
        this.logger = logger;
        pending = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref droppedCount));
    }

    public void Record(ExecutionResult result, global::GraphQL.Transport.GraphQLRequest request, Caller caller)
    {
        // A refused document has no selected operation in the result: it is found in the document, parsed again if need be.
        var chosen = result.Operation ?? (result.Document ?? Parse(request.Query))?.Definitions.OfType<GraphQLOperationDefinition>()
            .FirstOrDefault(o => request.OperationName is null || o.Name?.StringValue == request.OperationName);
        if (chosen is not { Operation: OperationType.Mutation } operation)
        {
            return;
        }
        var variables = request.Variables;
        var errors = result.Errors ?? [];
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var field in operation.SelectionSet.Selections.OfType<GraphQLField>())
        {
            var name = field.Name.StringValue;
            var key = field.Alias?.Name.StringValue ?? name;
            // Before execution every refusal stops the whole document: each field gets the first error's code.
            var error = result.Executed
                ? errors.FirstOrDefault(e => e.Path?.FirstOrDefault() is string first && first == key)
                : errors.FirstOrDefault(e => e is AccessError access && access.Field == name) ?? errors.FirstOrDefault();
            pending.Writer.TryWrite(new AuditEntry(now, caller.Name, name, Target(field, variables), error is null, error is null ? null : Code(error)));
        }
    }

    private static GraphQLDocument? Parse(string? query)
    {
        try
        {
            return query is null ? null : GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            return null;
        }
    }

    private static string Code(ExecutionError error) =>
        new ContractErrorInfoProvider().GetInfo(error).Extensions?["code"] as string ?? "INTERNAL";

    /// <summary>What a field acted on: modelId/machineId, an id, or the number of inputs of a batch, from literals or variables.</summary>
    private static string? Target(GraphQLField field, Inputs? variables)
    {
        var arguments = (field.Arguments?.Items ?? []).ToDictionary(a => a.Name.StringValue, a => Value(a.Value, variables));
        if (arguments.GetValueOrDefault("input") is IDictionary<string, object?> input)
        {
            foreach (var (k, v) in input)
            {
                arguments.TryAdd(k, v);
            }
        }
        if (arguments.GetValueOrDefault("modelId") is string model && arguments.GetValueOrDefault("machineId") is string machine)
        {
            return $"{model}/{machine}";
        }
        if ((arguments.GetValueOrDefault("id") ?? arguments.GetValueOrDefault("testId")) is string id)
        {
            return id;
        }
        if (arguments.GetValueOrDefault("inputs") is System.Collections.ICollection inputs)
        {
            return $"{inputs.Count} inputs";
        }
        return arguments.GetValueOrDefault("name") as string;
    }

    private static object? Value(GraphQLValue value, Inputs? variables) => value switch
    {
        GraphQLVariable variable => variables?.GetValueOrDefault(variable.Name.StringValue),
        GraphQLStringValue text => text.Value.ToString(),
        GraphQLListValue list => (list.Values ?? []).Select(v => Value(v, variables)).ToList(),
        GraphQLObjectValue obj => (obj.Fields ?? []).ToDictionary(f => f.Name.StringValue, f => Value(f.Value, variables)),
        _ => null,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>(BatchSize);
        try
        {
            while (await pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && pending.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }
                await WriteAsync(batch, stoppingToken);
                if (Interlocked.Exchange(ref droppedCount, 0) is var lost and > 0)
                {
                    logger.LogError("{Count} audit entries were dropped: the audit log fell more than {Max} entries behind", lost, MaxPending);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        while (pending.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
        await WriteAsync(batch, CancellationToken.None);
    }

    private async Task WriteAsync(List<AuditEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await log.WriteAsync(batch, cancellationToken);
                batch.Clear();
                return;
            }
            catch (Exception e) when (attempt < 5 && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Writing {Count} audit entries failed; trying again", batch.Count);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Count} audit entries could not be written", batch.Count);
                batch.Clear();
                return;
            }
        }
    }
}
