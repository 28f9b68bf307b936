using ModelPerformance.Grains.Events;
using ModelPerformance.Grains.History;

namespace ModelPerformance.Grains.Monitors;

/// <summary>
/// Publishes a monitor's evaluations while someone watches them (an <c>evaluationRecorded</c> subscriber's lease),
/// so ingestion into monitors nobody watches sends no events.
/// </summary>
internal sealed class EvaluationPublishing(Func<ModelMonitorState> state, IEventPublisher events, TimeProvider clock)
{
    private ModelMonitorState State => state();

    /// <summary>Extends the lease to <paramref name="lease"/> from now; true when it changed and is worth saving.</summary>
    public bool Extend(TimeSpan lease)
    {
        var until = clock.GetUtcNow().UtcDateTime + lease;
        if (State.EvaluationsWatchedUntil is null || until > State.EvaluationsWatchedUntil)
        {
            State.EvaluationsWatchedUntil = until;
            return true;
        }
        return false;
    }

    /// <summary>Tells subscribers of the evaluations a call applied, once their history rows are committed.</summary>
    public async Task PublishAsync(IReadOnlyList<EvaluationRow> rows, IReadOnlySet<long> duplicates)
    {
        if (State.EvaluationsWatchedUntil is not { } until || until < clock.GetUtcNow().UtcDateTime)
        {
            return;
        }
        foreach (var row in rows)
        {
            if (!duplicates.Contains(row.Seq))
            {
                await events.PublishAsync(new EvaluationRecorded(row.Evaluation));
            }
        }
    }
}
