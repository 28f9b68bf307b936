using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Security;

public static class SecurityExtensions
{
    public const string RateLimitPolicy = "per-caller";

    /// <summary>Origins whose pages may call the API from a browser (<c>Cors:AllowedOrigins:0</c>, ...); none by default.</summary>
    public const string CorsOriginsKey = "Cors:AllowedOrigins";

    /// <summary>
    /// Authentication (API keys, and JWT bearer tokens when an authority is configured) through ASP.NET Core, the
    /// caller's roles, and the per-caller rate limit. With PostgreSQL the service refuses to start without a credential
    /// source unless <c>Auth:AllowAnonymous</c> says so.
    /// </summary>
    public static IServiceCollection AddModelPerformanceSecurity(this IServiceCollection services, IConfiguration configuration, bool usesPostgres)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        if (usesPostgres && !auth.AllowAnonymous && !auth.HasCredentialSource)
        {
            throw new InvalidOperationException(
                "With PostgreSQL the service needs authentication: set Auth:BootstrapAdminKey (a first ADMIN key) or Auth:Jwt:Authority, " +
                "or set Auth:AllowAnonymous=true to run it open to anyone who reaches the port.");
        }
        var mode = new AuthMode(!auth.AllowAnonymous && (usesPostgres || auth.HasCredentialSource));
        services.AddSingleton(mode);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<CallerResolver>();
        services.AddHostedService<AuthenticationNotice>();

        var jwt = !string.IsNullOrEmpty(auth.Jwt.Authority);
        var authentication = services.AddAuthentication(CallerResolver.Scheme)
            .AddPolicyScheme(CallerResolver.Scheme, "API key or JWT", o => o.ForwardDefaultSelector = http =>
                jwt && ApiKeyAuthenticationHandler.BearerValue(http.Request.Headers.Authorization) is { } bearer && ApiKeyAuthenticationHandler.LooksLikeJwt(bearer)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt)
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = auth.Jwt.Authority;
                o.Audience = auth.Jwt.Audience;
                o.RequireHttpsMetadata = auth.Jwt.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = auth.Jwt.RoleClaim;
                o.TokenValidationParameters.NameClaimType = "sub";
                o.TokenValidationParameters.ValidateAudience = !string.IsNullOrEmpty(auth.Jwt.Audience);
            });
        }

        // CORS is off unless origins are named: the pages are served by the service itself and need none.
        var origins = configuration.GetSection(CorsOriginsKey).Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (origins.Length > 0)
            {
                p.WithOrigins(origins).WithMethods("GET", "POST").WithHeaders("Authorization", "X-Api-Key", "Content-Type", "Accept");
            }
        }));

        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimitPolicy, http =>
            {
                // Authentication is off: one partition would throttle every client together, so there is no limit.
                if (!mode.Enabled || auth.RateLimit.PermitsPerSecond <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("open");
                }
                var caller = http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = auth.RateLimit.PermitsPerSecond,
                    TokensPerPeriod = auth.RateLimit.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "1";
                var message = $"More than {auth.RateLimit.PermitsPerSecond} requests a second from this caller: retry in a second.";
                if (context.HttpContext.Request.Path.StartsWithSegments(Rest.RestRoutes.Prefix))
                {
                    await Rest.RestExecution.WriteErrorAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "RATE_LIMITED", message, null);
                    return;
                }
                await GraphQLHttpHandler.WriteCodeAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "RATE_LIMITED", message);
            };
        });
        return services;
    }

    /// <summary>CORS (answers preflights before anything else), authentication (the rate limit partitions by caller), then the limiter.</summary>
    public static IApplicationBuilder UseModelPerformanceSecurity(this IApplicationBuilder app)
    {
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        return app;
    }
}

/// <summary>Says at start whether callers must authenticate; loudly when the service is open to anyone.</summary>
internal sealed class AuthenticationNotice(AuthMode mode, ILogger<AuthenticationNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (mode.Enabled)
        {
            logger.LogInformation("Authentication is on: callers need an API key or a JWT bearer token.");
        }
        else
        {
            logger.LogWarning(
                "AUTHENTICATION IS OFF: anyone who reaches this port may read and change everything, as 'anonymous' with every role. " +
                "Set Auth:BootstrapAdminKey (or Auth:Jwt:Authority) to require credentials.");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
