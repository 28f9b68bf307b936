using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using ModelPerformance.Grains.Security;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;
using ModelPerformance.GraphQL.Transport;

namespace ModelPerformance.GraphQL.Security;

/// <summary>The security extension's root fields (contract/extensions/security.graphql).</summary>
public static class SecurityFields
{
    public const int MaxAuditEntries = 1_000;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CallerGraphType>>("me").Resolve(c => CallerContext.Of(c));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApiKeyGraphType>>>>("apiKeys")
            .ResolveAsync(async c => await Keys(c).ListAsync(c.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEntryGraphType>>>>("auditLog")
            .Argument<StringGraphType>("actor")
            .Argument<StringGraphType>("operation")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IAuditLog>().QueryAsync(c.GetArgument<string?>("actor"),
                c.GetArgument<string?>("operation"), InputValidator.First(c.GetArgument<int?>("first"), 100, MaxAuditEntries), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ApiKeyCreatedGraphType>>("createApiKey")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<RoleGraphType>>>>("roles")
            .ResolveAsync(async c => await Keys(c).CreateAsync(c.GetArgument<string>("name"), c.GetArgument<List<Role>>("roles"), c.CancellationToken));
        mutation.Field<NonNullGraphType<ApiKeyGraphType>>("revokeApiKey")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Keys(c).RevokeAsync(c.GetArgument<string>("id"), c.CancellationToken));
    }

    private static ApiKeys Keys(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<ApiKeys>();
}

public sealed class RoleGraphType : ContractEnumGraphType<Role>;

public sealed class CallerGraphType : ObjectGraphType<Caller>
{
    public CallerGraphType()
    {
        Name = "Caller";
        Field<NonNullGraphType<StringGraphType>>("name").Description("The API key's name or the token's subject; `anonymous` when authentication is off.").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoleGraphType>>>>("roles").Resolve(c => c.Source.Roles.Order().ToList());
        Field<NonNullGraphType<BooleanGraphType>>("authenticated").Resolve(c => c.Source.Authenticated);
    }
}

public sealed class ApiKeyGraphType : ObjectGraphType<ApiKeyRecord>
{
    public ApiKeyGraphType()
    {
        Name = "ApiKey";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoleGraphType>>>>("roles").Resolve(c => c.Source.Roles);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<UtcDateTimeGraphType>("lastUsedAt").Resolve(c => c.Source.LastUsedAt);
        Field<UtcDateTimeGraphType>("revokedAt").Resolve(c => c.Source.RevokedAt);
    }
}

public sealed class ApiKeyCreatedGraphType : ObjectGraphType<(ApiKeyRecord Key, string Secret)>
{
    public ApiKeyCreatedGraphType()
    {
        Name = "ApiKeyCreated";
        Field<NonNullGraphType<ApiKeyGraphType>>("apiKey").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("key").Description("The secret. It is shown in this answer only; the service keeps a hash.").Resolve(c => c.Source.Secret);
    }
}

public sealed class AuditEntryGraphType : ObjectGraphType<AuditEntry>
{
    public AuditEntryGraphType()
    {
        Name = "AuditEntry";
        Field<NonNullGraphType<UtcDateTimeGraphType>>("at").Resolve(c => c.Source.At);
        Field<NonNullGraphType<StringGraphType>>("actor").Resolve(c => c.Source.Actor);
        Field<NonNullGraphType<StringGraphType>>("operation").Description("The root field, e.g. `resolveAlert`.").Resolve(c => c.Source.Operation);
        Field<StringGraphType>("target").Description("What it acted on, e.g. `modelId/machineId` or an alert id.").Resolve(c => c.Source.Target);
        Field<NonNullGraphType<BooleanGraphType>>("succeeded").Resolve(c => c.Source.Succeeded);
        Field<StringGraphType>("code").Description("The error code when it did not succeed.").Resolve(c => c.Source.Code);
    }
}
