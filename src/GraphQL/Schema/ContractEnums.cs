using GraphQL.Types;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.GraphQL.Schema;

/// <summary>
/// The contract's enums over the grains' enums. GraphQL.NET names each value in CONSTANT_CASE
/// (RSquared becomes R_SQUARED); the schema test holds them to the contract's spelling.
/// </summary>
public sealed class ModelTaskGraphType : EnumerationGraphType<ModelTask>;

public sealed class MetricGraphType : EnumerationGraphType<Metric>;

public sealed class BucketGraphType : EnumerationGraphType<Bucket>;

public sealed class HealthStatusGraphType : EnumerationGraphType<HealthStatus>;

public sealed class SeverityGraphType : EnumerationGraphType<Severity>;

public sealed class AlertTypeGraphType : EnumerationGraphType<AlertType>;

public sealed class AlertStatusGraphType : EnumerationGraphType<AlertStatus>;

public sealed class TrainingTriggerGraphType : EnumerationGraphType<TrainingTrigger>;

public sealed class TrainingStatusGraphType : EnumerationGraphType<TrainingStatus>;

public sealed class PromotionPolicyGraphType : EnumerationGraphType<PromotionPolicy>;

public sealed class AbTestStatusGraphType : EnumerationGraphType<AbTestStatus>;

public sealed class AbArmGraphType : EnumerationGraphType<AbArm>;

public sealed class FeatureKindGraphType : EnumerationGraphType<FeatureKind>;
