using System.Collections.Concurrent;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>The history of a lone silo without a database: the same behaviour as PostgreSQL, kept in memory.</summary>
public sealed class InMemoryHistory : IHistoryWriter, IMonitorHistory
{
    private readonly ConcurrentDictionary<MonitorKey, MonitorLog> logs = new();
    private readonly ConcurrentDictionary<MonitorKey, MonitorRegistration> registry = new();

    public Task<IReadOnlySet<long>> AppendAsync(MonitorKey key, IReadOnlyList<EvaluationRow> evaluations, PredictionBatchRow? batch, CancellationToken cancellationToken = default)
    {
        var log = logs.GetOrAdd(key, _ => new MonitorLog());
        var duplicates = new HashSet<long>();
        lock (log)
        {
            if (batch is not null)
            {
                if (batch.BatchId is not null && !log.BatchIds.Add(batch.BatchId))
                {
                    duplicates.Add(batch.Seq);
                }
            }
            foreach (var row in evaluations)
            {
                if (duplicates.Contains(row.Seq) || (row.EvaluationId is not null && log.ById.ContainsKey(row.EvaluationId)))
                {
                    duplicates.Add(row.Seq);
                    continue;
                }
                if (row.EvaluationId is not null)
                {
                    log.ById[row.EvaluationId] = row.Evaluation;
                }
                log.Evaluations.Add(row);
            }
        }
        return Task.FromResult<IReadOnlySet<long>>(duplicates);
    }

    /// <summary>
    /// Nothing to replay: in memory the grain state and this history live and die with the same silo, and a
    /// deactivating grain saves its state, so samples are not kept here (only batch ids, for idempotency).
    /// </summary>
    public Task<HistoryReplay> ReadAfterAsync(MonitorKey key, long seq, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HistoryReplay([], []));

    public Task<Evaluation?> FindEvaluationAsync(MonitorKey key, string evaluationId, CancellationToken cancellationToken = default)
    {
        if (!logs.TryGetValue(key, out var log))
        {
            return Task.FromResult<Evaluation?>(null);
        }
        lock (log)
        {
            return Task.FromResult(log.ById.GetValueOrDefault(evaluationId));
        }
    }

    public Task<IReadOnlyList<Evaluation>> ReadRecentRecordedAsync(MonitorKey key, string? version, int count, CancellationToken cancellationToken = default)
    {
        if (!logs.TryGetValue(key, out var log))
        {
            return Task.FromResult<IReadOnlyList<Evaluation>>([]);
        }
        lock (log)
        {
            // The log is in seq order: a monitor appends one call at a time.
            IReadOnlyList<Evaluation> recent = log.Evaluations
                .Where(r => r.Source == EvaluationSource.Recorded && (r.Evaluation.ModelVersion is null || r.Evaluation.ModelVersion == version))
                .TakeLast(count)
                .Select(r => r.Evaluation)
                .ToList();
            return Task.FromResult(recent);
        }
    }

    public Task RegisterMonitorAsync(MonitorRegistration registration, CancellationToken cancellationToken = default)
    {
        registry[registration.Key] = registration;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Evaluation>> GetEvaluationsAsync(MonitorKey key, DateTime? from, DateTime? to, int first, CancellationToken cancellationToken = default)
    {
        var rows = Select(key, from, to);
        IReadOnlyList<Evaluation> result = rows
            .OrderByDescending(r => r.Evaluation.EvaluatedAt).ThenByDescending(r => r.Seq)
            .Take(first)
            .Select(r => r.Evaluation)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<Evaluation>> GetChampionEvaluationsAsync(MonitorKey key, string? version, DateTime from, int first, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Evaluation> result = Select(key, from, null)
            .Where(r => r.Evaluation.ModelVersion is null || r.Evaluation.ModelVersion == version)
            .OrderByDescending(r => r.Evaluation.EvaluatedAt).ThenByDescending(r => r.Seq)
            .Take(first)
            .Select(r => r.Evaluation)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<TrendPoint>> GetTrendAsync(MonitorKey key, Metric metric, DateTime? from, DateTime? to, Bucket bucket, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TrendPoint> result = Select(key, from, to)
            .Select(r => (r.Evaluation.EvaluatedAt, Value: r.Evaluation.Metrics.Get(metric)))
            .Where(p => p.Value.HasValue)
            .GroupBy(p => TrendBuckets.Start(p.EvaluatedAt, bucket), p => p.Value!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new TrendPoint(g.Key, g.Count(), g.Average(), g.Min(), g.Max()))
            .ToList();
        return Task.FromResult(result);
    }

    public Task<MonitorPage> ListMonitorsAsync(MonitorFilter filter, MonitorOrder order, int first, string? after, CancellationToken cancellationToken = default)
    {
        var position = MonitorCursor.Decode(after, order);
        var matching = Matching(filter)
            .Select(r => (Rank: order == MonitorOrder.WorstFirst ? HealthRank.Of(r.Health) : 0, Registration: r))
            .OrderBy(r => r.Rank).ThenBy(r => r.Registration.Key.ModelId, StringComparer.Ordinal).ThenBy(r => r.Registration.Key.MachineId, StringComparer.Ordinal)
            .ToList();
        var rest = position is { } p
            ? matching.Where(r => r.Rank > (p.Rank ?? 0) || (r.Rank == (p.Rank ?? 0) && Compare(r.Registration.Key, p.Key) > 0)).ToList()
            : matching;
        var page = rest.Take(first).Select(r => Listing(r.Registration)).ToList();
        return Task.FromResult(new MonitorPage(page, rest.Count > page.Count, page.Count > 0 ? MonitorCursor.Encode(page[^1], order) : null, matching.Count));
    }

    public Task<HealthCounts> CountByHealthAsync(MonitorFilter filter, CancellationToken cancellationToken = default)
    {
        var counts = Matching(filter).GroupBy(r => r.Health).ToDictionary(g => g.Key, g => g.Count());
        return Task.FromResult(HealthCounts.From(counts));
    }

    private IEnumerable<MonitorRegistration> Matching(MonitorFilter filter) =>
        registry.Values.Where(r => (filter.ModelType is null || r.ModelType == filter.ModelType)
                                   && (filter.MachineId is null || r.Key.MachineId == filter.MachineId)
                                   && (filter.Health is null || r.Health == filter.Health)
                                   && (filter.ModelId is null || r.Key.ModelId == filter.ModelId)
                                   && (filter.MachineIds is null || filter.MachineIds.Contains(r.Key.MachineId))
                                   && (filter.Search is null || r.Key.ModelId.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)
                                       || r.Key.MachineId.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)));

    private MonitorListing Listing(MonitorRegistration registration)
    {
        Evaluation? latest = null;
        if (logs.TryGetValue(registration.Key, out var log))
        {
            lock (log)
            {
                latest = log.Evaluations.MaxBy(r => (r.Evaluation.EvaluatedAt, r.Seq))?.Evaluation;
            }
        }
        return new MonitorListing(registration.Key, registration.ModelType, registration.Task, registration.ActiveVersion, registration.Health, latest);
    }

    private static int Compare(MonitorKey x, MonitorKey y)
    {
        var byModel = string.CompareOrdinal(x.ModelId, y.ModelId);
        return byModel != 0 ? byModel : string.CompareOrdinal(x.MachineId, y.MachineId);
    }

    private List<EvaluationRow> Select(MonitorKey key, DateTime? from, DateTime? to)
    {
        if (!logs.TryGetValue(key, out var log))
        {
            return [];
        }
        lock (log)
        {
            return log.Evaluations
                .Where(r => (from is null || r.Evaluation.EvaluatedAt >= from) && (to is null || r.Evaluation.EvaluatedAt < to))
                .ToList();
        }
    }

    private sealed class MonitorLog
    {
        public List<EvaluationRow> Evaluations { get; } = [];
        public Dictionary<string, Evaluation> ById { get; } = new(StringComparer.Ordinal);
        public HashSet<string> BatchIds { get; } = new(StringComparer.Ordinal);
    }
}
