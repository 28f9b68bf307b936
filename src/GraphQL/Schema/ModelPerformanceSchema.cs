using GraphQL.Types;
using ModelPerformance.GraphQL.AbTests;
using ModelPerformance.GraphQL.Dashboard;
using ModelPerformance.GraphQL.Alerts;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Notifications;
using ModelPerformance.GraphQL.Security;
using ModelPerformance.GraphQL.Training;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>The contract's schema; each feature adds its root fields to the three root types.</summary>
public sealed class ModelPerformanceSchema : global::GraphQL.Types.Schema
{
    public ModelPerformanceSchema(IServiceProvider services, QueryGraphType query, MutationGraphType mutation, SubscriptionGraphType subscription)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        RegisterTypeMapping(typeof(DateTime), typeof(UtcDateTimeGraphType));
        // IDEs (Banana Cake Pop, GraphiQL) ask for isRepeatable in their introspection query. Deprecation of
        // input values stays off: Banana Cake Pop, seeing __InputValue.isDeprecated, also asks for
        // __Directive.args(includeDeprecated:), which GraphQL.NET 8 does not have, and then loads no schema.
        Features.RepeatableDirectives = true;
    }
}

public sealed class QueryGraphType : ObjectGraphType
{
    public QueryGraphType()
    {
        Name = "Query";
        MonitorFields.AddQueries(this);
        AlertFields.AddQueries(this);
        TrainingFields.AddQueries(this);
        AbTestFields.AddQueries(this);
        DashboardFields.AddQueries(this);
        SecurityFields.AddQueries(this);
        NotificationFields.AddQueries(this);
    }
}

public sealed class MutationGraphType : ObjectGraphType
{
    public MutationGraphType()
    {
        Name = "Mutation";
        MonitorFields.AddMutations(this);
        AlertFields.AddMutations(this);
        TrainingFields.AddMutations(this);
        AbTestFields.AddMutations(this);
        SecurityFields.AddMutations(this);
        NotificationFields.AddMutations(this);
    }
}

public sealed class SubscriptionGraphType : ObjectGraphType
{
    public SubscriptionGraphType()
    {
        Name = "Subscription";
        AlertFields.AddSubscriptions(this);
        MonitorFields.AddSubscriptions(this);
        TrainingFields.AddSubscriptions(this);
        AbTestFields.AddSubscriptions(this);
    }
}
