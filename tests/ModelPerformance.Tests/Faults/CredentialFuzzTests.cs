using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using ModelPerformance.Tests.GraphQL;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Tests.Subscriptions;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Faults;

/// <summary>
/// Generated bad credentials (CsCheck) against a service that requires them: odd and oversized keys, wrong schemes, JWT-shaped
/// garbage, a revoked key, both headers at once, on HTTP and in the WebSocket's <c>connection_init</c>. Every request is 401
/// UNAUTHENTICATED with nothing run and nothing stored; every socket closes with 4403.
/// </summary>
public sealed class CredentialFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Bootstrap = "credential-fuzz-bootstrap-key-0123456789";
    private RunningService service = null!;
    private HttpClient http = null!;
    private string revoked = null!;

    public async Task InitializeAsync()
    {
        service = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:BootstrapAdminKey"] = Bootstrap,
            ["Auth:RateLimit:PermitsPerSecond"] = "0",
        });
        http = new HttpClient { BaseAddress = service.BaseAddress };
        var created = await SendAsync("mutation { createApiKey(name: \"soon-revoked\", roles: [ADMIN]) { key apiKey { id } } }", "Authorization", $"Bearer {Bootstrap}");
        revoked = created.Body!["data"]!["createApiKey"]!["key"]!.GetValue<string>();
        var id = created.Body!["data"]!["createApiKey"]!["apiKey"]!["id"]!.GetValue<string>();
        await SendAsync($"mutation {{ revokeApiKey(id: \"{id}\") {{ revokedAt }} }}", "Authorization", $"Bearer {Bootstrap}");
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await service.DisposeAsync();
    }

    private static readonly Gen<string> Printable = Gen.Char[' ', '~'].Array[0, 60].Select(c => new string(c));

    private static readonly Gen<string> Base64Url = Gen.Char.AlphaNumeric.Array[1, 80].Select(c => new string(c));

    /// <summary>A header name and value that are not valid credentials; "REVOKED" stands for the revoked key.</summary>
    private static readonly Gen<(string Header, string Value)> BadCredentials = Gen.OneOf(
        Printable.Select(v => ("Authorization", "Bearer " + v)),
        Printable.Select(v => ("Authorization", v)),
        Printable.Select(v => ("X-Api-Key", v)),
        Gen.Select(Base64Url, Base64Url, Base64Url).Select((a, b, c) => ("Authorization", $"Bearer {a}.{b}.{c}")),
        Gen.Select(Base64Url, Base64Url).Select((a, b) => ("Authorization", $"Bearer eyJhbGciOiJub25lIn0.{a}.{b}")),
        Printable.Select(v => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(v)))),
        Gen.Int[1_000, 8_000].Select(n => ("X-Api-Key", "mp_" + new string('k', n))),
        Gen.Const(("Authorization", "Bearer REVOKED")),
        Gen.Const(("X-Api-Key", "REVOKED")),
        Gen.Const(("Authorization", "Bearer ")),
        Gen.Const(("Authorization", "Bearer mp_" + Bootstrap)));

    private static readonly Gen<string> Operations = Gen.OneOf(
        Gen.Const("mutation { recordEvaluation(input: { modelId: \"credfuzz\", machineId: \"m\", metrics: { rmse: 1 } }) { id } }"),
        Gen.Const("mutation { createApiKey(name: \"intruder\", roles: [ADMIN]) { key } }"),
        Gen.Const("{ monitors { totalCount } }"),
        Gen.Const("{ me { name roles } }"));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(string query, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GraphQLServiceFixture.GraphQLResponse));
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Generated_bad_credentials_are_all_refused_with_401_UNAUTHENTICATED_and_run_nothing()
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Gen.Select(BadCredentials, Operations).SampleAsync(async (credentials, query) =>
        {
            var (header, value) = credentials;
            value = value.Replace("REVOKED", revoked);
            var (status, body) = await SendAsync(query, header, value);
            var code = body?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
            Assert.True(status == HttpStatusCode.Unauthorized && code == "UNAUTHENTICATED" && body?["data"] is null,
                $"{header}: {value[..Math.Min(value.Length, 80)]} → {(int)status} {body?.ToJsonString()[..Math.Min(body.ToJsonString().Length, 300)]}");
            outcomes.AddOrUpdate(header, 1, (_, n) => n + 1);
        }, iter: 300, threads: 2, seed: "0N0XIzNsQ0O2");

        var sockets = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await BadCredentials.SampleAsync(async credentials =>
        {
            var value = credentials.Value.Replace("REVOKED", revoked);
            await using var socket = await WebSocketClient.ConnectAsync(service.BaseAddress);
            await socket.SendAsync(new { type = "connection_init", payload = new JsonObject { ["authorization"] = value } });
            var closed = await socket.ReceiveCloseAsync();
            Assert.Equal(4403, closed);
            sockets.AddOrUpdate(closed, 1, (_, n) => n + 1);
        }, iter: 60, threads: 2, seed: "0N0XIzNsQ0O2");

        var stored = await SendAsync("{ monitor(modelId: \"credfuzz\", machineId: \"m\") { evaluationCount } apiKeys { name } }", "X-Api-Key", Bootstrap);
        output.WriteLine($"HTTP refused 401 by header: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}; sockets closed by code: " +
                         string.Join(", ", sockets.Select(s => $"{s.Key} {s.Value}")));
        Assert.Null(stored.Body!["data"]!["monitor"]);
        Assert.Equal(["soon-revoked"], stored.Body!["data"]!["apiKeys"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()));
        Assert.Equal(300, outcomes.Values.Sum());
    }
}
