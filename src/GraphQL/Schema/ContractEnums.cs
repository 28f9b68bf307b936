using System.Text;
using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// A contract enum over a grains' enum, PascalCase there and SCREAMING_CASE here: a word starts at an
/// upper-case letter after a lower-case one, or before a lower-case one (RSquared is R_SQUARED,
/// AbTestCompleted AB_TEST_COMPLETED), and digits stay with their word (F1, where GraphQL.NET's own
/// CONSTANT_CASE gives F_1).
/// </summary>
public abstract class ContractEnumGraphType<TEnum> : EnumerationGraphType<TEnum> where TEnum : struct, Enum
{
    protected override string ChangeEnumCase(string val)
    {
        var builder = new StringBuilder(val.Length + 4);
        for (var i = 0; i < val.Length; i++)
        {
            var startsWord = i > 0 && char.IsUpper(val[i])
                && (char.IsLower(val[i - 1]) || (i + 1 < val.Length && char.IsLower(val[i + 1])));
            if (startsWord)
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(val[i]));
        }
        return builder.ToString();
    }
}

public sealed class ModelTaskGraphType : ContractEnumGraphType<ModelTask>;

public sealed class MetricGraphType : ContractEnumGraphType<Metric>;

public sealed class BucketGraphType : ContractEnumGraphType<Bucket>;

public sealed class HealthStatusGraphType : ContractEnumGraphType<HealthStatus>;

public sealed class MonitorOrderGraphType : ContractEnumGraphType<ModelPerformance.Grains.History.MonitorOrder>
{
    public MonitorOrderGraphType()
    {
        Description = "ID: by modelId, then machineId. WORST_FIRST: CRITICAL, WARNING, UNKNOWN, then OK, by id within each.";
    }
}

public sealed class SeverityGraphType : ContractEnumGraphType<Severity>;

public sealed class AlertTypeGraphType : ContractEnumGraphType<AlertType>;

public sealed class AlertStatusGraphType : ContractEnumGraphType<AlertStatus>;

public sealed class TrainingTriggerGraphType : ContractEnumGraphType<TrainingTrigger>;

public sealed class TrainingStatusGraphType : ContractEnumGraphType<TrainingStatus>;

public sealed class PromotionPolicyGraphType : ContractEnumGraphType<PromotionPolicy>;

public sealed class AbTestStatusGraphType : ContractEnumGraphType<AbTestStatus>;

public sealed class AbArmGraphType : ContractEnumGraphType<AbArm>;

public sealed class FeatureKindGraphType : ContractEnumGraphType<FeatureKind>;
