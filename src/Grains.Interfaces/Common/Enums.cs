namespace ModelPerformance.Grains.Interfaces;

// Enum member names mirror the GraphQL contract's values (SCREAMING_CASE there, PascalCase here).

[GenerateSerializer, Alias("ModelTask")]
public enum ModelTask { Regression, Classification }

[GenerateSerializer, Alias("Metric")]
public enum Metric { RSquared, Rmse, Mae, Mape, Accuracy, Precision, Recall, F1 }

[GenerateSerializer, Alias("Bucket")]
public enum Bucket { Minute, Hour, Day, Week }

[GenerateSerializer, Alias("HealthStatus")]
public enum HealthStatus { Ok, Warning, Critical, Unknown }

[GenerateSerializer, Alias("Severity")]
public enum Severity { Info, Warning, Critical }

[GenerateSerializer, Alias("AlertType")]
public enum AlertType { DataDrift, ConceptDrift, Degradation, NoData, TrainingFailed, AbTestCompleted }

[GenerateSerializer, Alias("AlertStatus")]
public enum AlertStatus { Open, Acknowledged, Resolved }

[GenerateSerializer, Alias("TrainingTrigger")]
public enum TrainingTrigger { Manual, Scheduled, Drift, Degradation }

[GenerateSerializer, Alias("TrainingStatus")]
public enum TrainingStatus { Pending, Running, Succeeded, Failed, Cancelled }

[GenerateSerializer, Alias("PromotionPolicy")]
public enum PromotionPolicy { Manual, AutoIfBetter, AbTest }

[GenerateSerializer, Alias("AbTestStatus")]
public enum AbTestStatus { Running, Completed, Stopped }

[GenerateSerializer, Alias("AbArm")]
public enum AbArm { A, B }

[GenerateSerializer, Alias("FeatureKind")]
public enum FeatureKind { Numeric, Categorical }
