using System.Collections.Concurrent;
using ModelPerformance.Grains.AbTests;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;
using ModelPerformance.GraphQL.Monitors;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.AbTests;

/// <summary>
/// A/B tests behind the API: input checks, the grain calls and assignment. Assignment is a pure hash of the test's
/// id and the unit (SEMANTICS.md, A/B tests); the split and versions it needs never change for a test, so they are
/// read from the test once per silo and kept, and a call costs neither a grain call nor the database.
/// </summary>
public sealed class AbTestService(IGrainFactory grains, IAbTestStore store, MonitorReferences monitors)
{
    public const int MaxTestsPerQuery = 1_000;

    /// <summary>Tests whose definitions a silo keeps for assignment; past it the cache starts over.</summary>
    public const int MaxCachedTests = 10_000;

    private readonly ConcurrentDictionary<Guid, AbTest> definitions = new();

    public async Task<AbTest> StartAsync(IReadOnlyDictionary<string, object?> input)
    {
        var key = InputValidator.Key(input.GetValueOrDefault("modelId"), input.GetValueOrDefault("machineId"), "input");
        var definition = new AbTestDefinition(key.ModelId, key.MachineId,
            Version(input, "versionA"), Version(input, "versionB"),
            input.GetValueOrDefault("trafficSplit") is { } split ? Convert.ToDouble(split, System.Globalization.CultureInfo.InvariantCulture) : AbTestDefinition.DefaultTrafficSplit,
            input.GetValueOrDefault("primaryMetric") is Metric metric ? metric : Metric.Mae,
            input.GetValueOrDefault("minSamplesPerArm") is int min ? min : AbTestDefinition.DefaultMinSamplesPerArm,
            input.GetValueOrDefault("durationHours") is int hours ? hours : AbTestDefinition.DefaultDurationHours,
            input.GetValueOrDefault("autoPromote") is true);
        return await ArgumentPath.Under("input", () => monitors.For(key).StartAbTestAsync(definition));
    }

    /// <summary>The arm of a unit: B when u = (FNV-1a of "testId/unitKey" mod 10000) / 10000 is below the split, the id in its lower-case form.</summary>
    public async Task<AbAssignment> AssignAsync(string testId, string unitKey)
    {
        var id = Id(testId, "testId");
        if (unitKey.Length is 0 or > InputValidator.MaxTextLength)
        {
            throw ServiceException.BadInput($"unitKey must be 1 to {InputValidator.MaxTextLength} characters", "unitKey");
        }
        var test = await DefinitionAsync(id, "testId");
        var arm = ArmOf(test, unitKey);
        return new AbAssignment(id, unitKey, arm, arm == AbArm.B ? test.VersionB : test.VersionA);
    }

    /// <summary>
    /// Outcomes, checked in full before any is stored: finite and in the primary metric's range, and an outcome naming
    /// its unit in the arm that unit is assigned to. They travel summarised per arm.
    /// </summary>
    public async Task<AbTest> RecordOutcomesAsync(string testId, IReadOnlyList<object?> outcomes)
    {
        var id = Id(testId, "testId");
        InputValidator.Count(outcomes.Count, "outcomes", "outcomes");
        var test = await DefinitionAsync(id, "testId");
        var a = ArmMoments.Empty;
        var b = ArmMoments.Empty;
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = (IReadOnlyDictionary<string, object?>)outcomes[i]!;
            var arm = (AbArm)outcome["arm"]!;
            var value = Convert.ToDouble(outcome["value"], System.Globalization.CultureInfo.InvariantCulture);
            InputValidator.CheckMetricValue(value, test.PrimaryMetric, "value", "outcomes", i);
            if (InputValidator.OptionalText(outcome.GetValueOrDefault("unitKey"), ["outcomes", i], "unitKey") is { } unit && ArmOf(test, unit) != arm)
            {
                throw ServiceException.BadInput($"unit '{unit}' is assigned to arm {Names.Of(ArmOf(test, unit))} of A/B test {id}, not {Names.Of(arm)}",
                    "outcomes", i, "arm");
            }
            if (arm == AbArm.A)
            {
                a = a.Add(value);
            }
            else
            {
                b = b.Add(value);
            }
        }
        return await grains.GetGrain<IAbTestGrain>(id).RecordOutcomesAsync(new AbOutcomeBatch(a, b));
    }

    public Task<AbTest> StopAsync(string testId) => grains.GetGrain<IAbTestGrain>(Id(testId, "id")).StopAsync();

    /// <summary>The test as its grain holds it now; null for an id no test has.</summary>
    public async Task<AbTest?> GetAsync(string testId) =>
        Guid.TryParse(testId, out var id) ? await grains.GetGrain<IAbTestGrain>(id).GetAsync() : null;

    /// <summary>Tests from the table, newest first; running ones as their grains hold them now, since the row follows a second behind.</summary>
    public async Task<IReadOnlyList<AbTest>> ListAsync(AbTestFilter filter, CancellationToken cancellationToken)
    {
        var tests = await store.QueryAsync(filter, MaxTestsPerQuery, cancellationToken);
        var current = await Task.WhenAll(tests.Select(async t =>
            t.Status == AbTestStatus.Running ? await grains.GetGrain<IAbTestGrain>(t.Id).GetAsync() ?? t : t));
        return current.Where(t => filter.Status is null || t.Status == filter.Status).ToList();
    }

    private static AbArm ArmOf(AbTest test, string unitKey) =>
        AbStatistics.AssignsToB(test.Id.ToString(), unitKey, test.TrafficSplit) ? AbArm.B : AbArm.A;

    private async Task<AbTest> DefinitionAsync(Guid id, string field)
    {
        if (definitions.TryGetValue(id, out var cached))
        {
            return cached;
        }
        var test = await grains.GetGrain<IAbTestGrain>(id).GetAsync() ?? throw ServiceException.NotFound($"no A/B test {id}", field);
        if (definitions.Count >= MaxCachedTests)
        {
            definitions.Clear();
        }
        definitions[id] = test;
        return test;
    }

    private static Guid Id(string text, string field) =>
        Guid.TryParse(text, out var id) ? id : throw ServiceException.BadInput($"{field} '{text}' is not an A/B test id (a UUID)", field);

    private static string Version(IReadOnlyDictionary<string, object?> input, string field) =>
        InputValidator.OptionalText(input.GetValueOrDefault(field), ["input"], field)
        ?? throw ServiceException.BadInput($"{field} is required", "input", field);
}
