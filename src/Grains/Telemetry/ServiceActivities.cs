using System.Diagnostics;

namespace ModelPerformance.Grains.Telemetry;

/// <summary>
/// The service's own spans (activity source <see cref="SourceName"/>), where one piece of work serves several requests
/// and so belongs to no single call chain: a monitor's combined <c>recordEvaluations</c> call (the GraphQL evaluation
/// lanes) and the history's group commit. Nothing is made while no tracer listens.
/// </summary>
public static class ServiceActivities
{
    public const string SourceName = "ModelPerformance";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A span for work done on behalf of several callers: a child of the first traced caller, linked to the others,
    /// so each caller's trace leads to the statement that wrote its rows.
    /// </summary>
    public static Activity? StartOnBehalfOf(string name, IEnumerable<ActivityContext> callers)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var traced = callers.Where(c => c != default).Distinct().ToList();
        var parent = traced.FirstOrDefault();
        return Source.StartActivity(name, ActivityKind.Internal, parent, links: traced.Skip(1).Select(c => new ActivityLink(c)));
    }
}
