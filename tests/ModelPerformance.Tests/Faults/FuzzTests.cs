using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using ModelPerformance.Tests.GraphQL;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Faults;

/// <summary>
/// Generated abuse of /graphql and its WebSocket (CsCheck): malformed JSON, invalid UTF-8, wrong types, deep and wide
/// documents, alias floods, odd Unicode in ids, oversized batches, protocol abuse. No answer is a 5xx, every refusal has
/// a contract code, the service stays up, and what it stored is exactly what it acknowledged.
/// </summary>
[Collection(GraphQLServiceCollection.Name)]
public sealed class FuzzTests(GraphQLServiceFixture fixture, ITestOutputHelper output)
{
    private static readonly HashSet<string> Codes = ["BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "UNAVAILABLE"];

    private const string StoreModel = "fuzz-store";

    private sealed record Request(string Kind, byte[] Body, bool CountsIfAccepted);

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static readonly Gen<string> OddText = Gen.OneOf(
        Gen.String,
        Gen.Char['\u0000', '\uffff'].Array[0, 40].Select(c => new string(c)),
        Gen.Int[0, 10].Select(i => new[] { "", " ", "\u202e", "m\u0000x", "💥", "a/b", "..", new string('x', 129), "press-1", "énergie", "\ud800" }[i]));

    private static readonly Gen<JsonNode?> AnyValue = Gen.OneOf<JsonNode?>(
        Gen.Bool.Select(_ => (JsonNode?)null),
        Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create("NaN"))),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        OddText.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Const<JsonNode?>(new JsonArray(1, 2)),
        Gen.Const<JsonNode?>(new JsonObject { ["rmse"] = -1 }));

    private static readonly Gen<Request> Requests = Gen.Frequency(
        (3, Gen.String.Select(s => new Request("malformed JSON", Encoding.UTF8.GetBytes(s), false))),
        (2, Gen.Byte.Array[1, 300].Select(b => new Request("bytes", [.. "{\"query\":\""u8.ToArray(), .. b, .. "\"}"u8.ToArray()], false))),
        (3, OddText.Select(q => new Request("query text", Json(new { query = q }), false))),
        (4, Gen.Select(OddText, OddText, AnyValue, AnyValue).Select((m, c, metric, count) => new Request("wrong types", Json(new
        {
            query = "mutation R($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }",
            variables = new JsonObject { ["input"] = new JsonObject { ["modelId"] = m, ["machineId"] = c, ["sampleCount"] = count?.DeepClone(), ["metrics"] = new JsonObject { ["rmse"] = metric?.DeepClone() } } },
        }), false))),
        (3, Gen.Double[-10, 10].Select(v => new Request("maybe valid", Json(new
        {
            query = "mutation R($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id } }",
            variables = new { input = new { modelId = StoreModel, machineId = "m", metrics = new { rmse = v } } },
        }), true))),
        (2, Gen.Int[10, 3000].Select(depth => new Request("deep", Json(new { query = "{" + string.Concat(Enumerable.Repeat("a{", depth)) + new string('}', depth + 1) }), false))),
        (2, Gen.Int[100, 5000].Select(n => new Request("aliases", Json(new { query = "{" + string.Concat(Enumerable.Range(0, n).Select(i => $" a{i}: monitor(modelId: \"m\", machineId: \"c\") {{ modelId }}")) + " }" }), false))),
        (1, Gen.Int[10_001, 10_100].Select(n => new Request("oversized batch", Json(new
        {
            query = "mutation R($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }",
            variables = new { inputs = Enumerable.Range(0, n).Select(i => new { modelId = StoreModel, machineId = "m", metrics = new { rmse = 1.0 } }) },
        }), false))),
        (2, OddText.Select(id => new Request("odd ids", Json(new { query = "query Q($m: ID!) { monitor(modelId: $m, machineId: $m) { modelId } }", variables = new { m = id } }), false))));

    [Fact]
    public async Task Generated_abuse_of_the_http_endpoint_gets_no_5xx_every_refusal_has_a_code_and_only_acknowledged_writes_are_stored()
    {
        var accepted = 0;
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Requests.SampleAsync(async request =>
        {
            using var content = new ByteArrayContent(request.Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await fixture.Http.PostAsync("/graphql", content);
            var text = await response.Content.ReadAsStringAsync();
            var sent = Encoding.UTF8.GetString(request.Body);
            Assert.True((int)response.StatusCode < 500, $"{request.Kind}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]} for {sent[..Math.Min(sent.Length, 300)]}");
            var body = JsonNode.Parse(text)!;
            foreach (var error in body["errors"]?.AsArray() ?? [])
            {
                var code = error!["extensions"]?["code"]?.GetValue<string>();
                Assert.True(code is not null && Codes.Contains(code), $"{request.Kind}: an error without a contract code: {error.ToJsonString()}");
                Assert.DoesNotContain("   at ", error["message"]!.GetValue<string>());
            }
            var ok = body["errors"] is null;
            outcomes.AddOrUpdate($"{request.Kind} {(ok ? "ok" : "refused")}", 1, (_, n) => n + 1);
            if (request.CountsIfAccepted && ok)
            {
                Interlocked.Increment(ref accepted);
            }
        }, iter: 400, threads: 2, seed: "0N0XIzNsQ0O2");

        var stored = await fixture.PostAsync($$"""{ evaluations(modelId: "{{StoreModel}}", machineId: "m", first: 10000) { id } }""");
        var health = await fixture.Http.GetAsync("/health/live");
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));

        Assert.Equal(accepted, stored.Data!["evaluations"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static readonly Gen<string[]> SocketScripts = Gen.OneOf(
        Gen.String.Array[1, 5],
        Gen.Select(Gen.String, OddText).Select((s, t) => new[] { "{\"type\":\"connection_init\"}", $"{{\"type\":\"subscribe\",\"id\":{JsonSerializer.Serialize(t)},\"payload\":{{\"query\":{JsonSerializer.Serialize(s)}}}}}" }),
        Gen.Int[1, 4].Select(n => Enumerable.Repeat("{\"type\":\"connection_init\"}", n).ToArray()),
        Gen.Const(new[] { "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"subscription { alertRaised { id } }\"}}" }),
        Gen.Const(new[] { "{\"type\":\"connection_init\"}", "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"subscription { alertRaised { id } }\"}}",
                          "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"subscription { alertRaised { id } }\"}}" }));

    [Fact]
    public async Task Generated_protocol_abuse_of_the_websocket_ends_in_a_protocol_close_code_and_harms_no_one_else()
    {
        var closes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await SocketScripts.SampleAsync(async script =>
        {
            using var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            await socket.ConnectAsync(new UriBuilder(fixture.Service.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri, CancellationToken.None);
            foreach (var message in script)
            {
                if (socket.State != WebSocketState.Open)
                {
                    break;
                }
                try
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                    // The server closed the socket while this message was on its way: its close code is read below.
                    break;
                }
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var buffer = new byte[64 * 1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, wait.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Still open after the script: a valid session waiting for events.
            }
            catch (WebSocketException)
            {
                // Cut off after the server's close frame was sent: the close status, if it arrived, is checked below.
            }
            var status = socket.CloseStatus is { } s ? ((int)s).ToString() : "open";
            closes.AddOrUpdate(status, 1, (_, n) => n + 1);
            Assert.True(socket.CloseStatus is null or (WebSocketCloseStatus)4400 or (WebSocketCloseStatus)4401 or (WebSocketCloseStatus)4408
                or (WebSocketCloseStatus)4409 or (WebSocketCloseStatus)4429 or WebSocketCloseStatus.NormalClosure, $"closed with {socket.CloseStatus}: {socket.CloseStatusDescription}");
        }, iter: 50, threads: 2, seed: "0N0XIzNsQ0O2");

        output.WriteLine(string.Join(", ", closes.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")));
        Assert.Empty((await fixture.PostAsync("{ __typename }")).Errors);
    }
}
