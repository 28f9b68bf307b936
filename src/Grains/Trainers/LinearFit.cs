namespace ModelPerformance.Grains.Trainers;

/// <summary>A fitted linear predictor: intercept plus one coefficient per feature, in the features' order.</summary>
public sealed record LinearFit(double Intercept, IReadOnlyList<double> Coefficients);
