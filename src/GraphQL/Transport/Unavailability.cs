using System.Net.Sockets;
using Npgsql;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>
/// Failures that mean a dependency is down for now (the database, a silo), not a defect: the client gets UNAVAILABLE,
/// may retry, and nothing was stored. Errors PostgreSQL itself reports about a statement (a constraint, a syntax)
/// are defects and stay INTERNAL.
/// </summary>
public static class Unavailability
{
    public const string Message = "A dependency of the service (the database or a silo) is unavailable: nothing was stored; retry the same call shortly.";

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.IsTransient;
                case NpgsqlException or SocketException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
            // An exception Orleans could not copy across a grain call keeps its type's name only.
            if (e.GetType().Name == "UnavailableExceptionFallbackException" && e.ToString().Contains("Npgsql", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
