using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// The API-key scheme: a key as <c>Authorization: Bearer &lt;key&gt;</c>, <c>X-Api-Key: &lt;key&gt;</c>, or the sign-in
/// page's cookie. No key is no result (another scheme, or anonymous, may apply); a wrong key is a failure.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "modelperf_key";
    public const string NameClaim = "name";
    public const string RoleClaim = "roles";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request.Headers[HeaderName].ToString(), Request.Headers[HeaderNames.Authorization].ToString(), Request.Cookies[CookieName]) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }
        if (await keys.CheckAsync(key, Context.RequestAborted) is not { } caller)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }
        // The caller as this scheme knows it, so that the rest of the request need not read it back from claims.
        Context.Items[CallerItem] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(caller), SchemeName));
    }

    public const string CallerItem = "modelperf.caller";

    public static ClaimsPrincipal Principal(Caller caller)
    {
        var identity = new ClaimsIdentity(SchemeName, NameClaim, RoleClaim);
        identity.AddClaim(new Claim(NameClaim, caller.Name));
        foreach (var role in caller.Roles)
        {
            identity.AddClaim(new Claim(RoleClaim, role.ToString().ToLowerInvariant()));
        }
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The key among the places a client may put one; a bearer value that looks like a JWT (two dots) is not a key.</summary>
    public static string? Presented(string? apiKeyHeader, string? authorization, string? cookie)
    {
        if (!string.IsNullOrWhiteSpace(apiKeyHeader))
        {
            return apiKeyHeader.Trim();
        }
        if (BearerValue(authorization) is { } bearer && !LooksLikeJwt(bearer))
        {
            return bearer;
        }
        return string.IsNullOrWhiteSpace(cookie) ? null : cookie;
    }

    public static string? BearerValue(string? authorization) =>
        authorization is { Length: > 7 } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
