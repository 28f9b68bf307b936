using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ModelPerformance.Grains.Events;

/// <summary>
/// Keeps one connection listening on <see cref="EventNotifications.Channel"/> and feeds what arrives to this
/// silo's <see cref="EventHub"/>. It listens before the host finishes starting, so that a subscriber of a
/// started silo misses nothing; a lost connection is reopened with backoff. Events notified while it is
/// disconnected do not reach this silo's subscribers (live subscriptions replay nothing).
/// </summary>
public sealed class PostgresEventListener(NpgsqlDataSource dataSource, EventHub hub, ILogger<PostgresEventListener> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long a silent connection waits before it proves it is alive with a round trip.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource stopping = new();
    private readonly EventNotifications.Assembler assembler = new();
    private Task? loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? first = null;
        try
        {
            first = await ListenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Listening for events failed at start; retrying in the background");
        }
        loop = Task.Run(() => RunAsync(first));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        stopping.Dispose();
    }

    private async Task RunAsync(NpgsqlConnection? connection)
    {
        var delay = FirstRetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                connection ??= await ListenAsync(stopping.Token);
                delay = FirstRetryDelay;
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheck, stopping.Token))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stopping.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The event listener lost its connection; reconnecting in {Delay}", delay);
                await CloseAsync(connection);
                connection = null;
                try
                {
                    await Task.Delay(delay, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        await CloseAsync(connection);
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // Pieces of a message cut off by the lost connection will never complete.
            assembler.Reset();
            connection.Notification += OnNotification;
            await using var listen = new NpgsqlCommand($"LISTEN {EventNotifications.Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await CloseAsync(connection);
            throw;
        }
    }

    /// <summary>
    /// Every piece goes through the assembler, but a message is decoded only when this silo has subscribers:
    /// a silo nobody watches does not pay for parsing the cluster's evaluations.
    /// </summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        IReadOnlyList<ServiceEvent> events;
        try
        {
            if (assembler.Accept(args.Payload) is not { } message || hub.SubscriberCount == 0)
            {
                return;
            }
            events = EventNotifications.Decode(message);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or NotSupportedException)
        {
            logger.LogWarning(e, "Ignored a notification on {Channel} that is not an event", args.Channel);
            return;
        }
        foreach (var serviceEvent in events)
        {
            hub.Publish(serviceEvent);
        }
    }

    private async Task CloseAsync(NpgsqlConnection? connection)
    {
        if (connection is null)
        {
            return;
        }
        connection.Notification -= OnNotification;
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            logger.LogDebug(e, "Closing the broken event connection failed");
        }
    }
}
