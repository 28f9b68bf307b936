using System.Text.Json.Serialization;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.Events;

/// <summary>
/// Something that happened in the cluster and that every silo's live subscribers may want: grains publish
/// it through <see cref="IEventPublisher"/>, and each silo's <see cref="EventHub"/> hands it to its
/// subscribers. Between silos it travels as JSON, hence the type discriminator.
/// </summary>
[GenerateSerializer, Immutable, Alias("ServiceEvent")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(EvaluationRecorded), "evaluationRecorded")]
[JsonDerivedType(typeof(AlertRaised), "alertRaised")]
[JsonDerivedType(typeof(AlertChanged), "alertChanged")]
[JsonDerivedType(typeof(TrainingJobUpdated), "trainingJobUpdated")]
[JsonDerivedType(typeof(AbTestUpdated), "abTestUpdated")]
public abstract record ServiceEvent;

/// <summary>An evaluation was stored and applied: recorded as given, or computed from a prediction batch.</summary>
[GenerateSerializer, Immutable, Alias("ServiceEvent.EvaluationRecorded")]
public sealed record EvaluationRecorded([property: Id(0)] Evaluation Evaluation) : ServiceEvent;

/// <summary>An alert opened, or an open alert's severity rose.</summary>
[GenerateSerializer, Immutable, Alias("ServiceEvent.AlertRaised")]
public sealed record AlertRaised([property: Id(0)] Alert Alert) : ServiceEvent;

/// <summary>An alert was acknowledged or resolved.</summary>
[GenerateSerializer, Immutable, Alias("ServiceEvent.AlertChanged")]
public sealed record AlertChanged([property: Id(0)] Alert Alert) : ServiceEvent;

[GenerateSerializer, Immutable, Alias("ServiceEvent.TrainingJobUpdated")]
public sealed record TrainingJobUpdated([property: Id(0)] TrainingJob Job) : ServiceEvent;

[GenerateSerializer, Immutable, Alias("ServiceEvent.AbTestUpdated")]
public sealed record AbTestUpdated([property: Id(0)] AbTest Test) : ServiceEvent;
