using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ModelPerformance.Tests.Infrastructure;
using ModelPerformance.Tests.Subscriptions;

namespace ModelPerformance.Tests.Security;

/// <summary>
/// JWT bearer tokens from an identity provider: a real HTTP listener serves the OpenID configuration and its signing
/// key, as a provider does, and the service is configured with it as Auth:Jwt:Authority.
/// </summary>
public sealed class JwtTests : IAsyncLifetime
{
    private readonly RSA rsa = RSA.Create(2048);
    private readonly HttpListener provider = new();
    private string issuer = null!;
    private RunningService service = null!;

    public async Task InitializeAsync()
    {
        var port = RunningService.FreePort();
        issuer = $"http://127.0.0.1:{port}/";
        provider.Prefixes.Add(issuer);
        provider.Start();
        _ = Task.Run(ServeAsync);
        service = await RunningService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = issuer,
            ["Auth:Jwt:Audience"] = "modelperf",
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        provider.Close();
        rsa.Dispose();
    }

    private async Task ServeAsync()
    {
        while (provider.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await provider.GetContextAsync();
            }
            catch (Exception) when (!provider.IsListening)
            {
                return;
            }
            var parameters = rsa.ExportParameters(false);
            object body = context.Request.Url!.AbsolutePath.EndsWith("/jwks", StringComparison.Ordinal)
                ? new { keys = new[] { new { kty = "RSA", use = "sig", kid = "test-key", alg = "RS256", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } } }
                : new { issuer, jwks_uri = issuer + "jwks", id_token_signing_alg_values_supported = new[] { "RS256" } };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private string Token(string subject, string[] roles, string audience = "modelperf", RSA? signer = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer ?? rsa) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string query, string token)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_token_from_the_provider_is_the_caller_with_the_roles_of_its_claim()
    {
        var (status, me) = await PostAsync("{ me { name roles authenticated } }", Token("jane@plant", ["operator"]));
        var (_, forbidden) = await PostAsync("""mutation { configureMonitor(modelId: "m", machineId: "c", config: { minSamples: 5 }) { modelId } }""", Token("jane@plant", ["operator"]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("jane@plant", me["data"]!["me"]!["name"]!.GetValue<string>());
        Assert.Equal(["OPERATOR"], me["data"]!["me"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("FORBIDDEN", forbidden["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_for_another_audience_or_signed_by_another_key_is_refused()
    {
        using var stranger = RSA.Create(2048);

        var (otherAudience, _) = await PostAsync("{ me { name } }", Token("jane@plant", ["viewer"], audience: "someone-else"));
        var (otherKey, _) = await PostAsync("{ me { name } }", Token("jane@plant", ["viewer"], signer: stranger));

        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey);
    }

    [Fact]
    public async Task A_websocket_takes_the_token_in_connection_init()
    {
        await using var client = await WebSocketClient.ConnectAsync(service.BaseAddress);
        await client.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {Token("screen", ["viewer"])}" } });
        var ack = await client.ReceiveAsync();
        await using var refused = await WebSocketClient.ConnectAsync(service.BaseAddress);
        await refused.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {Token("screen", ["viewer"], audience: "nope")}" } });

        Assert.Equal("connection_ack", ack!["type"]!.GetValue<string>());
        Assert.Equal(4403, await refused.ReceiveCloseAsync());
    }
}
