using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelPerformance.Tests.Infrastructure;

/// <summary>A request a <see cref="WebhookReceiver"/> took: its headers, the exact body bytes, and when it arrived.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, TimeSpan At)
{
    public JsonNode Json => JsonNode.Parse(Encoding.UTF8.GetString(Body))!;

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// A real HTTP receiver on loopback for notification tests: it records every request and answers what <paramref name="answer"/> says
/// (a status, or null to never answer); it can stop listening (connection refused) and start again on the same port.
/// </summary>
public sealed class WebhookReceiver(Func<ReceivedWebhook, int?> answer) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource closing = new();
    private HttpListener? listener;

    public int Port { get; } = RunningService.FreePort();

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public IReadOnlyList<ReceivedWebhook> Received => received.ToList();

    /// <summary>Time since the receiver was made, on the clock <see cref="ReceivedWebhook.At"/> uses.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    public static WebhookReceiver Start(Func<ReceivedWebhook, int?>? answer = null)
    {
        var receiver = new WebhookReceiver(answer ?? (_ => 200));
        receiver.Listen();
        return receiver;
    }

    public void Listen()
    {
        listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        var current = listener;
        _ = Task.Run(() => ServeAsync(current));
    }

    /// <summary>Stops listening: senders see the connection refused until <see cref="Listen"/>.</summary>
    public void Stop()
    {
        listener?.Close();
        listener = null;
    }

    /// <summary>Waits until the receiver holds what <paramref name="done"/> asks for, and returns what it holds.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout, string what) =>
        Eventually.MatchAsync(() => Task.FromResult(Received), done, timeout, what);

    private async Task ServeAsync(HttpListener current)
    {
        while (current.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await current.GetContextAsync();
            }
            catch (Exception) when (!current.IsListening)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k.ToLowerInvariant(), k => context.Request.Headers[k] ?? "");
        var request = new ReceivedWebhook(context.Request.Url!.AbsolutePath.Trim('/'), headers, body.ToArray(), clock.Elapsed);
        received.Enqueue(request);
        if (answer(request) is not { } status)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, closing.Token);
            }
            catch (OperationCanceledException)
            {
            }
            context.Response.Abort();
            return;
        }
        context.Response.StatusCode = status;
        var text = Encoding.UTF8.GetBytes(status >= 400 ? $"receiver says {status}" : "ok");
        await context.Response.OutputStream.WriteAsync(text);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        Stop();
        closing.Dispose();
    }
}
