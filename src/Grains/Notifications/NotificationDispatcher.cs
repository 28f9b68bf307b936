using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Telemetry;

namespace ModelPerformance.Grains.Notifications;

/// <summary>
/// Sends the outbox's deliveries from this silo: woken by its own alerts, and every poll interval for retries and for deliveries a dead
/// silo held. Each attempt runs on its own, so a slow receiver holds up no other channel and nothing of ingestion; attempts are judged
/// by <see cref="DeliveryPolicy"/>. One silo at a time also adds the reminders due.
/// </summary>
public sealed class NotificationDispatcher(INotificationStore store, DeliverySignal signal, IOptions<NotificationOptions> options, ServiceAddress address,
    TimeProvider clock, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly ConcurrentDictionary<Guid, int> inFlight = new();

    /// <summary>Attempts waiting to be recorded: those that end together are recorded in one statement.</summary>
    private readonly Channel<(DeliveryAttempt Attempt, TaskCompletionSource Recorded)> outcomes =
        Channel.CreateUnbounded<(DeliveryAttempt, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private NotificationOptions Options => options.Value;

    /// <summary>Sends one delivery this silo has claimed now (a TEST), and returns the delivery as its first attempt left it.</summary>
    public async Task<NotificationDelivery> SendNowAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(work, cancellationToken);
        await RecordAsync(attempt, cancellationToken);
        WakeWhenDue(attempt, cancellationToken);
        return work.Delivery.After(attempt);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DispatchAsync(stoppingToken), RecordBatchesAsync(stoppingToken));

    /// <summary>Records an attempt with those that end about the same time, and returns once it is recorded.</summary>
    private async Task RecordAsync(DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await outcomes.Writer.WriteAsync((attempt, recorded), cancellationToken);
        await recorded.Task.WaitAsync(cancellationToken);
    }

    private async Task RecordBatchesAsync(CancellationToken stoppingToken)
    {
        const int MaxBatch = 256;
        var batch = new List<(DeliveryAttempt Attempt, TaskCompletionSource Recorded)>(MaxBatch);
        try
        {
            while (await outcomes.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && outcomes.Reader.TryRead(out var outcome))
                {
                    batch.Add(outcome);
                }
                try
                {
                    await store.RecordAsync(batch.Select(b => b.Attempt).ToList(), stoppingToken);
                    foreach (var (attempt, _) in batch)
                    {
                        ServiceMeters.NotificationAttempts.Add(1, ServiceMeters.Tag("status", Names.Of(attempt.Status)));
                    }
                    batch.ForEach(b => b.Recorded.TrySetResult());
                }
                catch (Exception e)
                {
                    batch.ForEach(b => b.Recorded.TrySetException(e));
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var nextRepeatCheck = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ClaimAndStartAsync(stoppingToken))
                {
                }
                var now = clock.GetUtcNow().UtcDateTime;
                if (now >= nextRepeatCheck)
                {
                    nextRepeatCheck = now + Options.RepeatCheckInterval;
                    await store.AddDueRepeatsAsync(now, Options.RepeatIntervalUnit, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away; pending deliveries wait in the outbox until it is back.
                logger.LogWarning("Notifications could not be dispatched: {Reason}", e.Message);
            }
            await signal.WaitAsync(Options.PollInterval, stoppingToken);
            // Wakes that come close together (a burst of alerts, sends finishing) make one claim, not one each.
            await Task.Delay(Options.ClaimCoalescing, clock, stoppingToken);
        }
    }

    /// <summary>Claims what there is room for and starts sending it; false when nothing more could be claimed.</summary>
    private async Task<bool> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var busy = new Dictionary<Guid, int>(inFlight.Where(c => c.Value > 0));
        var room = new ClaimRoom(Options.MaxConcurrentSends - busy.Values.Sum(), Options.MaxConcurrentSendsPerChannel, busy);
        if (room.Total <= 0)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await store.ClaimAsync(now, now + Options.Lease, room, stoppingToken);
        foreach (var work in claimed)
        {
            inFlight.AddOrUpdate(work.Delivery.ChannelId, 1, (_, n) => n + 1);
            _ = SendAsync(work, stoppingToken);
        }
        return claimed.Count > 0;
    }

    private async Task SendAsync(DeliveryWork work, CancellationToken stoppingToken)
    {
        try
        {
            var attempt = await AttemptAsync(work, stoppingToken);
            await RecordAsync(attempt, stoppingToken);
            WakeWhenDue(attempt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The attempt is not recorded; its lease ends and it is tried again, here or on another silo.
            logger.LogWarning("A notification attempt could not be recorded: {Reason}", e.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            inFlight.AddOrUpdate(work.Delivery.ChannelId, 0, (_, n) => n - 1);
            signal.Wake();
        }
    }

    /// <summary>A retry leaves when its backoff ends, not at the next poll after it.</summary>
    private void WakeWhenDue(DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Status == DeliveryStatus.Pending)
        {
            // A timer may fire a little before the wall clock reaches its time; the margin keeps the retry from missing it.
            var wait = attempt.NextAttemptAt - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMilliseconds(20);
            _ = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, cancellationToken).ContinueWith(_ => signal.Wake(), TaskScheduler.Default);
        }
    }

    private async Task<DeliveryAttempt> AttemptAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        var delivery = work.Delivery;
        var attempt = delivery.Attempts + 1;
        var sentAt = clock.GetUtcNow().UtcDateTime;
        var body = NotificationPayload.Body(work, sentAt, Options.PublicUrl ?? address.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, work.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(NotificationPayload.DeliveryHeader, delivery.Id.ToString());
        if (work.Kind == ChannelKind.Webhook && work.Secret is { } secret)
        {
            request.Headers.Add(NotificationPayload.SignatureHeader, NotificationPayload.Signature(secret, body));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.AttemptTimeout);
        int? status = null;
        string? error;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"{status} {response.ReasonPhrase}: {await AnswerAsync(response, timeout.Token)}".TrimEnd(' ', ':');
        }
        catch (HttpRequestException e)
        {
            error = $"the receiver could not be reached: {e.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"the receiver did not answer within {Options.AttemptTimeout.TotalSeconds:0.#} s";
        }
        return DeliveryPolicy.Judge(delivery.Id, attempt, status, error, clock.GetUtcNow().UtcDateTime, Options);
    }

    /// <summary>The start of what a receiver said when it refused, for <c>notificationDeliveries</c>.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxLength = 200;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return "";
        }
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}
