using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Telemetry;

/// <summary>With an OTLP endpoint configured, one GraphQL mutation on PostgreSQL is one trace, from the HTTP request through grain calls to its SQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MutationTraceTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_mutation_is_one_trace_rooted_at_its_POST_with_grain_call_and_SQL_spans_under_it_and_the_trace_is_exported_by_OTLP()
    {
        await using var collector = WebhookReceiver.Start();
        using var spans = new SpanRecorder();
        var service = await RunningService.StartAsync(await postgres.CreateDatabaseAsync("tracing"), $"tracing-{Guid.NewGuid():N}", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collector.Port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        Activity server;
        string scrape;
        await using (service)
        {
            var reply = await PostFromOutsideAsync(service.BaseAddress,
                """mutation { recordEvaluation(input: { modelId: "traced", machineId: "press-1", metrics: { rmse: 1.5 } }) { id } }""");
            Assert.True(reply.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !reply.Contains("\"errors\"", StringComparison.Ordinal), reply);
            // The server span ends as the response completes, which may be just after the client has read it.
            server = await Eventually.MatchAsync(() => Task.FromResult(spans.Stopped.FirstOrDefault(a => IsPostOf(a, service.BaseAddress.Port))),
                a => a is not null, TimeSpan.FromSeconds(10), "the POST's server span") ?? throw new InvalidOperationException();
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            scrape = await http.GetStringAsync("/metrics");
        }
        var trace = spans.Trace(server.TraceId);
        foreach (var span in trace)
        {
            output.WriteLine($"{span.Source.Name} {span.Kind} {span.DisplayName} {span.SpanId} <- {span.ParentSpanId}");
        }

        Assert.Equal(default, server.ParentSpanId);
        var byId = trace.ToDictionary(a => a.SpanId);
        Assert.All(trace.Where(a => a != server), a => Assert.True(DescendsFrom(a, server, byId), $"{a.DisplayName} ({a.Source.Name}) is not under the POST"));
        Assert.Contains(trace, a => a.Source.Name == "Microsoft.Orleans.Application" && a.DisplayName.Contains("IModelMonitorGrain", StringComparison.Ordinal));
        var write = Assert.Single(trace, a => a.Source.Name == "Npgsql" && (a.GetTagItem("db.query.text") as string ?? "").Contains("COPY model_performance_metrics", StringComparison.Ordinal));
        Assert.Contains("db_client_operation_duration_seconds", scrape);
        // Disposing the service flushed its exporters: the collector got the trace, with the write's span, as OTLP/HTTP protobuf.
        var exported = collector.Received.Where(r => r.Path == "v1/traces").ToList();
        Assert.NotEmpty(exported);
        Assert.All(exported, r => Assert.Equal("application/x-protobuf", r.Header("content-type")));
        Assert.Contains(exported, r => Contains(r.Body, Bytes(server.TraceId)) && Contains(r.Body, Bytes(write.SpanId)));
        Assert.Contains(collector.Received, r => r.Path == "v1/metrics");
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_grain_calls_go_through_no_trace_propagation_filter()
    {
        await using var service = await RunningService.StartAsync(clusterId: $"untraced-{Guid.NewGuid():N}");
        var incoming = service.Services.GetServices<IIncomingGrainCallFilter>().Select(f => f.GetType().Name).ToList();
        var outgoing = service.Services.GetServices<IOutgoingGrainCallFilter>().Select(f => f.GetType().Name).ToList();
        output.WriteLine($"incoming: {string.Join(", ", incoming)}; outgoing: {string.Join(", ", outgoing)}");
        // The dashboard's profiler is an incoming filter, so the lookup does find the filters there are.
        Assert.Contains(incoming, name => name.Contains("Profiler", StringComparison.Ordinal));
        Assert.DoesNotContain(incoming.Concat(outgoing), name => name.StartsWith("ActivityPropagation", StringComparison.Ordinal));
    }

    /// <summary>
    /// The mutation over a bare socket, as a client outside the service would send it: an HttpClient in this process would be
    /// traced by the service's own HTTP client instrumentation and pass its trace on, and the POST would not start one.
    /// </summary>
    private static async Task<string> PostFromOutsideAsync(Uri baseAddress, string query)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = tcp.GetStream();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { query });
        var head = $"POST /graphql HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static bool IsPostOf(Activity a, int port) =>
        a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server && a.GetTagItem("http.request.method") as string == "POST"
        && a.GetTagItem("url.path") as string == "/graphql" && Equals(a.GetTagItem("server.port"), port);

    private static bool DescendsFrom(Activity span, Activity root, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next == root)
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] Bytes(ActivityTraceId id)
    {
        var bytes = new byte[16];
        id.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Bytes(ActivitySpanId id)
    {
        var bytes = new byte[8];
        id.CopyTo(bytes);
        return bytes;
    }

    private static bool Contains(byte[] body, byte[] part) => body.AsSpan().IndexOf(part) >= 0;
}
