using GraphQLParser.AST;
using ModelPerformance.Grains.Security;

namespace ModelPerformance.GraphQL.Security;

/// <summary>
/// The role each root field needs (SEMANTICS.md, Authentication and roles), in one table. Queries and subscriptions
/// need VIEWER, except the administrative ones; every mutation is listed, and a test checks that none is missing, so a
/// new mutation without a role fails the build's tests instead of opening a door. A missing one would need ADMIN.
/// </summary>
public static class FieldRoles
{
    /// <summary>completeTraining is authorized by its job's token alone (a trainer holds no key).</summary>
    public static readonly IReadOnlySet<string> TokenAuthorized = new HashSet<string> { "completeTraining" };

    public static readonly IReadOnlyDictionary<string, Role> Mutations = new Dictionary<string, Role>
    {
        ["recordEvaluation"] = Role.Ingest,
        ["recordEvaluations"] = Role.Ingest,
        ["recordPredictions"] = Role.Ingest,
        ["recordAbOutcomes"] = Role.Ingest,
        ["assignAbArm"] = Role.Ingest,
        ["acknowledgeAlert"] = Role.Operator,
        ["resolveAlert"] = Role.Operator,
        ["checkDrift"] = Role.Operator,
        ["resetReference"] = Role.Operator,
        ["triggerRetrain"] = Role.Operator,
        ["cancelTraining"] = Role.Operator,
        ["startAbTest"] = Role.Operator,
        ["stopAbTest"] = Role.Operator,
        ["createSilence"] = Role.Operator,
        ["expireSilence"] = Role.Operator,
        ["testNotificationChannel"] = Role.Operator,
        ["configureMonitor"] = Role.Admin,
        ["setBaseline"] = Role.Admin,
        ["registerVersion"] = Role.Admin,
        ["promoteVersion"] = Role.Admin,
        ["createApiKey"] = Role.Admin,
        ["revokeApiKey"] = Role.Admin,
        ["createNotificationChannel"] = Role.Admin,
        ["updateNotificationChannel"] = Role.Admin,
        ["deleteNotificationChannel"] = Role.Admin,
    };

    /// <summary>Queries that show how the service is secured rather than what it watches.</summary>
    public static readonly IReadOnlyDictionary<string, Role> AdministrativeQueries = new Dictionary<string, Role>
    {
        ["apiKeys"] = Role.Admin,
        ["auditLog"] = Role.Admin,
    };

    /// <summary>
    /// What a root field needs: credentials (false only for the token-authorized ones) and a role (none for <c>me</c> and
    /// introspection, which any authenticated caller may ask).
    /// </summary>
    public static (bool NeedsCredentials, Role? Role) For(OperationType operation, string field) => operation switch
    {
        OperationType.Mutation when TokenAuthorized.Contains(field) => (false, null),
        OperationType.Mutation => (true, Mutations.GetValueOrDefault(field, Role.Admin)),
        _ when field is "me" || field.StartsWith("__", StringComparison.Ordinal) => (true, null),
        _ => (true, AdministrativeQueries.GetValueOrDefault(field, Role.Viewer)),
    };
}
