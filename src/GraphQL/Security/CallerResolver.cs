using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ModelPerformance.GraphQL.Security;

/// <summary>Whether this service authenticates callers: on with any credential source, and always with PostgreSQL unless turned off explicitly.</summary>
public sealed record AuthMode(bool Enabled);

/// <summary>
/// The caller of a request, through ASP.NET Core's authentication (the API-key and JWT schemes): everyone is
/// <see cref="Caller.Anonymous"/> when authentication is off; a request without credentials is
/// <see cref="Caller.Unauthenticated"/>; wrong credentials are a failure the transport answers with 401.
/// </summary>
public sealed class CallerResolver(AuthMode mode, ApiKeys keys, IOptions<AuthOptions> options)
{
    public const string Scheme = "ModelPerformance";

    public bool Enabled => mode.Enabled;

    public async Task<(Caller? Caller, string? Failure)> ResolveAsync(HttpContext http)
    {
        if (!mode.Enabled)
        {
            return (Caller.Anonymous, null);
        }
        var result = await http.AuthenticateAsync(Scheme);
        if (result.Succeeded && (http.Items[ApiKeyAuthenticationHandler.CallerItem] as Caller ?? Caller.From(result.Principal)) is { } caller)
        {
            return (caller, null);
        }
        return result.None ? (Caller.Unauthenticated, null) : (null, "The credentials were refused: the API key is unknown or revoked, or the token is not valid.");
    }

    /// <summary>Credentials a WebSocket client sent in <c>connection_init</c>: an API key or a JWT, as an authorization value.</summary>
    public async Task<Caller?> ResolveAsync(HttpContext http, string authorization)
    {
        if (ApiKeyAuthenticationHandler.BearerValue(authorization) is not { } bearer)
        {
            return await keys.CheckAsync(authorization.Trim(), http.RequestAborted);
        }
        if (!ApiKeyAuthenticationHandler.LooksLikeJwt(bearer) || string.IsNullOrEmpty(options.Value.Jwt.Authority))
        {
            return await keys.CheckAsync(bearer, http.RequestAborted);
        }
        var jwt = await JwtValidation.ValidateAsync(http, bearer);
        return jwt is null ? null : Caller.From(jwt);
    }
}
