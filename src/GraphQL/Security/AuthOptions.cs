namespace ModelPerformance.GraphQL.Security;

/// <summary>The <c>Auth</c> configuration section (SEMANTICS.md, Authentication and roles).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>A key with ADMIN accepted from the first start, named <c>bootstrap</c>: how the first real keys are made.</summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>True turns authentication off: every caller is <c>anonymous</c> with every role.</summary>
    public bool AllowAnonymous { get; set; }

    public JwtSettings Jwt { get; set; } = new();

    public RateLimitSettings RateLimit { get; set; } = new();

    public sealed class JwtSettings
    {
        /// <summary>The identity provider's issuer URL; its OpenID configuration gives the signing keys.</summary>
        public string? Authority { get; set; }

        public string? Audience { get; set; }

        /// <summary>The claim holding the caller's roles (viewer, ingest, operator, admin).</summary>
        public string RoleClaim { get; set; } = "roles";

        /// <summary>Only for identity providers reached over plain HTTP, as in tests on loopback.</summary>
        public bool RequireHttpsMetadata { get; set; } = true;
    }

    public sealed class RateLimitSettings
    {
        /// <summary>Requests a caller may make each second (0: no limit).</summary>
        public int PermitsPerSecond { get; set; } = 200;
    }

    public bool HasCredentialSource => !string.IsNullOrEmpty(BootstrapAdminKey) || !string.IsNullOrEmpty(Jwt.Authority);
}
