using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.GraphQL.Schema;

namespace ModelPerformance.GraphQL.AbTests;

public sealed class AbArmResultGraphType : ObjectGraphType<AbArmResult>
{
    public AbArmResultGraphType()
    {
        Name = "AbArmResult";
        Field<NonNullGraphType<AbArmGraphType>>("arm").Resolve(c => c.Source.Arm);
        Field<NonNullGraphType<StringGraphType>>("version").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<IntGraphType>>("samples").Resolve(c => c.Source.Samples);
        Field<NonNullGraphType<FloatGraphType>>("mean").Resolve(c => c.Source.Mean);
        Field<NonNullGraphType<FloatGraphType>>("stdDev").Resolve(c => c.Source.StdDev);
    }
}

public sealed class AbTestResultsGraphType : ObjectGraphType<AbTestResults>
{
    public AbTestResultsGraphType()
    {
        Name = "AbTestResults";
        Field<NonNullGraphType<AbArmResultGraphType>>("a").Resolve(c => c.Source.A);
        Field<NonNullGraphType<AbArmResultGraphType>>("b").Resolve(c => c.Source.B);
        Field<FloatGraphType>("difference").Description("mean(B) - mean(A) of the per-unit outcome.").Resolve(c => c.Source.Difference);
        Field<FloatGraphType>("relativeLift").Resolve(c => c.Source.RelativeLift);
        Field<FloatGraphType>("ciLow").Description("95% confidence interval of the difference (Welch).").Resolve(c => c.Source.CiLow);
        Field<FloatGraphType>("ciHigh").Resolve(c => c.Source.CiHigh);
        Field<FloatGraphType>("tStatistic").Description("Welch's two-sided t-test.").Resolve(c => c.Source.TStatistic);
        Field<FloatGraphType>("pValue").Resolve(c => c.Source.PValue);
        Field<FloatGraphType>("sequentialPValue")
            .Description("Always-valid p-value, safe to read at every look; the test stops early on it.")
            .Resolve(c => c.Source.SequentialPValue);
        Field<FloatGraphType>("srmPValue")
            .Description("Sample ratio mismatch: chi-squared p-value of the observed split against the configured one.")
            .Resolve(c => c.Source.SrmPValue);
        Field<NonNullGraphType<BooleanGraphType>>("srmDetected").Resolve(c => c.Source.SrmDetected);
        Field<NonNullGraphType<FloatGraphType>>("confidence").Description("Confidence that the winner is better, 0..1.").Resolve(c => c.Source.Confidence);
        Field<AbArmGraphType>("winner").Resolve(c => c.Source.Winner);
        Field<NonNullGraphType<StringGraphType>>("decision")
            .Description("Plain words, e.g. `B is better`, `no significant difference`, `insufficient data`, `sample ratio mismatch`.")
            .Resolve(c => c.Source.Decision);
    }
}

public sealed class AbTestGraphType : ObjectGraphType<AbTest>
{
    public AbTestGraphType()
    {
        Name = "AbTest";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("modelId").Resolve(c => c.Source.ModelId);
        Field<NonNullGraphType<IdGraphType>>("machineId").Resolve(c => c.Source.MachineId);
        Field<NonNullGraphType<StringGraphType>>("versionA").Resolve(c => c.Source.VersionA);
        Field<NonNullGraphType<StringGraphType>>("versionB").Resolve(c => c.Source.VersionB);
        Field<NonNullGraphType<FloatGraphType>>("trafficSplit")
            .Description("Share of units assigned to B, strictly between 0 and 1.")
            .Resolve(c => c.Source.TrafficSplit);
        Field<NonNullGraphType<MetricGraphType>>("primaryMetric").Resolve(c => c.Source.PrimaryMetric);
        Field<NonNullGraphType<BooleanGraphType>>("lowerIsBetter")
            .Description("True when lower per-unit outcomes are better (errors).")
            .Resolve(c => c.Source.LowerIsBetter);
        Field<NonNullGraphType<AbTestStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("startedAt").Resolve(c => c.Source.StartedAt);
        Field<UtcDateTimeGraphType>("endsAt").Resolve(c => c.Source.EndsAt);
        Field<UtcDateTimeGraphType>("completedAt").Resolve(c => c.Source.CompletedAt);
        Field<NonNullGraphType<IntGraphType>>("minSamplesPerArm").Resolve(c => c.Source.MinSamplesPerArm);
        Field<NonNullGraphType<BooleanGraphType>>("autoPromote").Resolve(c => c.Source.AutoPromote);
        Field<NonNullGraphType<AbTestResultsGraphType>>("results").Resolve(c => c.Source.Results);
    }
}

public sealed class AbAssignmentGraphType : ObjectGraphType<AbAssignment>
{
    public AbAssignmentGraphType()
    {
        Name = "AbAssignment";
        Field<NonNullGraphType<IdGraphType>>("testId").Resolve(c => c.Source.TestId);
        Field<NonNullGraphType<StringGraphType>>("unitKey").Resolve(c => c.Source.UnitKey);
        Field<NonNullGraphType<AbArmGraphType>>("arm").Resolve(c => c.Source.Arm);
        Field<NonNullGraphType<StringGraphType>>("version").Resolve(c => c.Source.Version);
    }
}

public sealed class StartAbTestInputGraphType : InputObjectGraphType
{
    public StartAbTestInputGraphType()
    {
        Name = "StartAbTestInput";
        Field<NonNullGraphType<IdGraphType>>("modelId");
        Field<NonNullGraphType<IdGraphType>>("machineId");
        Field<NonNullGraphType<StringGraphType>>("versionA");
        Field<NonNullGraphType<StringGraphType>>("versionB");
        Field<FloatGraphType>("trafficSplit").DefaultValue(AbTestDefinition.DefaultTrafficSplit);
        Field<MetricGraphType>("primaryMetric").DefaultValue(Metric.Mae);
        Field<IntGraphType>("minSamplesPerArm").DefaultValue(AbTestDefinition.DefaultMinSamplesPerArm);
        Field<IntGraphType>("durationHours").DefaultValue(AbTestDefinition.DefaultDurationHours);
        Field<BooleanGraphType>("autoPromote").DefaultValue(false);
    }
}

public sealed class AbOutcomeInputGraphType : InputObjectGraphType
{
    public AbOutcomeInputGraphType()
    {
        Name = "AbOutcomeInput";
        Field<NonNullGraphType<AbArmGraphType>>("arm");
        Field<NonNullGraphType<FloatGraphType>>("value")
            .Description("Per-unit outcome of the primary metric, e.g. the absolute error of one prediction.");
        Field<StringGraphType>("unitKey");
    }
}
