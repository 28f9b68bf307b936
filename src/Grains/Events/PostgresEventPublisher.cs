using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelPerformance.Grains.Common;
using Npgsql;

namespace ModelPerformance.Grains.Events;

/// <summary>
/// Publishes through PostgreSQL NOTIFY, which every silo's <see cref="PostgresEventListener"/> receives,
/// this silo's included, so every silo's subscribers get the same events in the same (commit) order.
/// <para>
/// Grains only queue: one sender loop takes everything queued and sends it in one statement, packed into as
/// few notifications as fit, so a burst of ingestion costs one round trip per batch of events rather than
/// one per call, and a grain never waits for
/// the database on the event's account. The queue is bounded: when the database is slow or away, the loop
/// retries the same batch (keeping the order) and callers wait for room instead of events being dropped.
/// Events still queued when the silo stops are sent during disposal, within <see cref="ShutdownGrace"/>.
/// A retry after a failure whose statement had in fact committed delivers that batch twice.
/// </para>
/// </summary>
public sealed class PostgresEventPublisher : IEventPublisher, IAsyncDisposable
{
    private const int QueueCapacity = 10_000;
    private const int MaxEventsPerStatement = 500;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<PostgresEventPublisher> logger;
    private readonly Channel<ServiceEvent> queue = Channel.CreateBounded<ServiceEvent>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly CancellationTokenSource stopping = new();
    private readonly Task sender;

    public PostgresEventPublisher(NpgsqlDataSource dataSource, ILogger<PostgresEventPublisher> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        sender = BackgroundLoop.Start(SendLoopAsync);
    }

    public async Task PublishAsync(ServiceEvent serviceEvent)
    {
        if (!queue.Writer.TryWrite(serviceEvent))
        {
            try
            {
                await queue.Writer.WriteAsync(serviceEvent, stopping.Token);
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
            {
                logger.LogWarning("The silo is stopping: {Event} was not published", serviceEvent.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        stopping.CancelAfter(ShutdownGrace);
        await sender;
        // Later callers (grains still finishing) are turned away at once instead of waiting for room.
        stopping.Cancel();
    }

    private async Task SendLoopAsync()
    {
        var events = new List<ServiceEvent>();
        while (await queue.Reader.WaitToReadAsync())
        {
            events.Clear();
            while (events.Count < MaxEventsPerStatement && queue.Reader.TryRead(out var serviceEvent))
            {
                events.Add(serviceEvent);
            }
            if (!await SendAsync(EventNotifications.Encode(events), events.Count))
            {
                // Only disposal's deadline stops the retries: the rest cannot be sent either.
                var dropped = events.Count;
                while (queue.Reader.TryRead(out _))
                {
                    dropped++;
                }
                logger.LogError("The silo stopped before {Count} events could be published", dropped);
                return;
            }
        }
    }

    /// <summary>Sends one batch, retrying with backoff until it goes through or disposal's deadline passes.</summary>
    private async Task<bool> SendAsync(IReadOnlyList<string> payloads, int events)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                // ORDER BY makes PostgreSQL call pg_notify in array order: volatile functions of the select
                // list run after the sort.
                await using var command = dataSource.CreateCommand(
                    "SELECT pg_notify(@channel, p) FROM unnest(@payloads) WITH ORDINALITY AS t(p, i) ORDER BY i");
                command.Parameters.AddWithValue("channel", EventNotifications.Channel);
                command.Parameters.AddWithValue("payloads", payloads.ToArray());
                await command.ExecuteNonQueryAsync(stopping.Token);
                return true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogWarning(e, "Publishing {Count} events failed; retrying in {Delay}", events, delay);
                try
                {
                    await Task.Delay(delay, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }
}
