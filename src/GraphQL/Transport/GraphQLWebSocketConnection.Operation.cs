using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.Grains.Telemetry;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>The operations of a socket: each subscribe message's execution and the events it sends.</summary>
internal sealed partial class GraphQLWebSocketConnection
{
    /// <summary>
    /// One subscribe: a query or mutation (one <c>next</c>, then <c>complete</c>) or a subscription (a
    /// <c>next</c> per event until the client completes it). A document that does not execute at all gets
    /// <c>error</c>. Nothing is sent for an operation the client completed.
    /// </summary>
    private sealed class Operation(GraphQLWebSocketConnection connection, string id) : IObserver<ExecutionResult>
    {
        private readonly CancellationTokenSource cancellation = new();
        private readonly Lock gate = new();
        private IDisposable? subscription;
        private bool stopped;

        /// <summary>
        /// Returns once the operation runs: a subscription is subscribed to its events, a query or mutation has
        /// passed validation and goes on executing in the background, so the read loop is free again.
        /// </summary>
        public Task StartAsync(GraphQLRequest request)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = RunAsync(request, started);
            return started.Task;
        }

        public void Stop()
        {
            IDisposable? toDispose;
            lock (gate)
            {
                stopped = true;
                toDispose = subscription;
                subscription = null;
            }
            cancellation.Cancel();
            if (toDispose is not null)
            {
                toDispose.Dispose();
                ServiceMeters.SubscriptionsActive.Add(-1);
            }
        }

        public void OnNext(ExecutionResult value)
        {
            if (IsCurrent)
            {
                connection.Send(Message(MessageTypes.Next, value));
            }
        }

        public void OnError(Exception error)
        {
            connection.logger.LogError(error, "GraphQL operation {Id} failed", id);
            if (End())
            {
                connection.Send(connection.ErrorMessage(id, new ExecutionError(ContractErrorInfoProvider.InternalMessage)));
            }
        }

        public void OnCompleted()
        {
            if (End())
            {
                connection.Send(Message(MessageTypes.Complete));
            }
        }

        private async Task RunAsync(GraphQLRequest request, TaskCompletionSource started)
        {
            try
            {
                var result = await connection.ExecuteAsync(request, new StartedListener(started), cancellation.Token);
                if (!result.Executed)
                {
                    if (End())
                    {
                        connection.Send(connection.ErrorMessage(id, [.. result.Errors ?? []]));
                    }
                    return;
                }
                if (result.Streams is { Count: > 0 } streams)
                {
                    // Validation lets a subscription select exactly one root field, hence one stream.
                    var live = streams.Values.Single().Subscribe(this);
                    lock (gate)
                    {
                        if (!stopped)
                        {
                            subscription = live;
                            ServiceMeters.SubscriptionsActive.Add(1);
                            return;
                        }
                    }
                    live.Dispose();
                    return;
                }
                OnNext(result);
                OnCompleted();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Completed by the client, or the socket closed, while it ran.
            }
            catch (Exception e)
            {
                OnError(e);
            }
            finally
            {
                started.TrySetResult();
            }
        }

        private bool IsCurrent => connection.operations.TryGetValue(id, out var current) && ReferenceEquals(current, this);

        /// <summary>Ends the operation on the server's side; false when the client (or the close) ended it first.</summary>
        private bool End()
        {
            if (!connection.operations.TryRemove(new KeyValuePair<string, Operation>(id, this)))
            {
                return false;
            }
            Stop();
            return true;
        }

        private OperationMessage Message(string type, object? payload = null) => new() { Id = id, Type = type, Payload = payload };
    }

    /// <summary>Marks a query or mutation as started once it passed validation, before it executes.</summary>
    private sealed class StartedListener(TaskCompletionSource started) : DocumentExecutionListenerBase
    {
        public override Task BeforeExecutionAsync(IExecutionContext context)
        {
            if (context.Operation.Operation != OperationType.Subscription)
            {
                started.TrySetResult();
            }
            return Task.CompletedTask;
        }
    }
}
