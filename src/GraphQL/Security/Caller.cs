using System.Security.Claims;
using ModelPerformance.Grains.Security;

namespace ModelPerformance.GraphQL.Security;

/// <summary>Who is calling: an API key's name or a token's subject, with its roles; <c>anonymous</c> with every role when authentication is off.</summary>
public sealed record Caller(string Name, IReadOnlySet<Role> Roles, bool Authenticated)
{
    public const string AnonymousName = "anonymous";

    /// <summary>Everyone, when authentication is off.</summary>
    public static readonly Caller Anonymous = new(AnonymousName, Enum.GetValues<Role>().ToHashSet(), false);

    /// <summary>A request without credentials while authentication is on: it may only do what needs none.</summary>
    public static readonly Caller Unauthenticated = new(AnonymousName, new HashSet<Role>(), false);

    /// <summary>Each role adds to the one below it (VIEWER, INGEST, OPERATOR, ADMIN), so a caller may do what its highest role allows.</summary>
    public bool May(Role role) => Roles.Any(r => r >= role);

    /// <summary>The caller a principal from either scheme stands for; roles it does not know are ignored.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            return null;
        }
        var roles = identity.FindAll(identity.RoleClaimType)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(v => Enum.TryParse<Role>(v, ignoreCase: true, out var role) ? role : (Role?)null)
            .OfType<Role>()
            .ToHashSet();
        return new Caller(identity.Name ?? identity.FindFirst("sub")?.Value ?? "unknown", roles, true);
    }
}
