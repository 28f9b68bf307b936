namespace ModelPerformance.GraphQL.Monitors;

/// <summary>Subscription settings, from configuration section <see cref="Section"/>.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "GraphQL:Subscriptions";

    /// <summary>
    /// How long a monitor publishes its evaluations after an <c>evaluationRecorded</c> subscriber asked; the silo
    /// renews it every quarter of this while the subscription lives, so one failed renewal loses nothing.
    /// </summary>
    public TimeSpan EvaluationLease { get; set; } = TimeSpan.FromMinutes(2);
}
