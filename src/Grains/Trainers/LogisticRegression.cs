using MathNet.Numerics.LinearAlgebra;

namespace ModelPerformance.Grains.Trainers;

/// <summary>Binary logistic regression with an L2 penalty on the coefficients.</summary>
public static class LogisticRegression
{
    private const int MaxIterations = 100;

    /// <summary>The line search gives up below this share of the Newton step.</summary>
    private const double MinStep = 1e-12;

    /// <summary>Converged when every component of the objective's gradient is this small.</summary>
    private const double GradientTolerance = 1e-10;

    /// <summary>Converged, whatever the features' scale, when a Newton step would lower the objective by less.</summary>
    private const double DecrementTolerance = 1e-20;

    /// <summary>
    /// Below this Newton decrement (half the predicted decrease of the objective) the full step is taken without a
    /// line search: the iteration is in its quadratic phase, where objective differences drown in rounding.
    /// </summary>
    private const double QuadraticPhase = 1e-8;

    /// <summary>
    /// Minimises sum of log-losses + (l2 / 2) ||w||², the intercept unpenalised: scikit-learn's
    /// <c>LogisticRegression(C = 1 / l2)</c> objective with its lbfgs solver. Newton's method with a backtracking line
    /// search; the penalty keeps the solution finite on separable data.
    /// </summary>
    /// <param name="y">True for the positive class.</param>
    /// <exception cref="TrainingException">Only one class present, or no convergence.</exception>
    public static LinearFit Fit(double[][] rows, bool[] y, double l2 = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2);
        var features = Design.FeatureCount(rows, y.Length);
        var positives = y.Count(v => v);
        if (positives == 0 || positives == y.Length)
        {
            throw new TrainingException(
                $"logistic regression needs samples of both classes; all {y.Length} training samples are {(positives == 0 ? "negative" : "positive")}");
        }

        var x = Design.WithIntercept(rows, features);
        var target = Vector<double>.Build.Dense(y.Length, i => y[i] ? 1.0 : 0.0);
        var penalty = Vector<double>.Build.Dense(features + 1, j => j == 0 ? 0.0 : l2);
        var theta = Vector<double>.Build.Dense(features + 1);
        var objective = Objective(x, target, penalty, theta);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var margin = x * theta;
            var p = margin.Map(Sigmoid);
            var gradient = x.TransposeThisAndMultiply(p - target) + penalty.PointwiseMultiply(theta);
            if (gradient.InfinityNorm() <= GradientTolerance)
            {
                return Result(theta);
            }

            var weights = p.Map(v => v * (1 - v));
            var hessian = x.TransposeThisAndMultiply(x.MapIndexed((i, _, v) => v * weights[i]))
                + Matrix<double>.Build.DiagonalOfDiagonalVector(penalty);
            var step = hessian.Cholesky().Solve(gradient);
            var decrement = gradient.DotProduct(step) / 2;
            if (decrement <= QuadraticPhase)
            {
                theta -= step;
                if (decrement <= DecrementTolerance)
                {
                    return Result(theta);
                }

                objective = Objective(x, target, penalty, theta);
                continue;
            }

            // Armijo backtracking: far from the optimum (separable data) a full Newton step can overshoot.
            var t = 1.0;
            var candidate = theta - step;
            var value = Objective(x, target, penalty, candidate);
            while (value > objective - 0.5 * t * decrement)
            {
                t /= 2;
                if (t < MinStep)
                {
                    throw new TrainingException("logistic regression did not converge: its line search found no descent");
                }

                candidate = theta - t * step;
                value = Objective(x, target, penalty, candidate);
            }

            theta = candidate;
            objective = value;
        }

        throw new TrainingException($"logistic regression did not converge in {MaxIterations} Newton iterations");
    }

    internal static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static LinearFit Result(Vector<double> theta) => new(theta[0], theta.SubVector(1, theta.Count - 1).ToArray());

    /// <summary>Sum of log-losses plus the penalty; log(1 + e^z) computed without overflow.</summary>
    private static double Objective(Matrix<double> x, Vector<double> target, Vector<double> penalty, Vector<double> theta)
    {
        var margin = x * theta;
        double loss = 0;
        for (var i = 0; i < margin.Count; i++)
        {
            var z = target[i] > 0 ? -margin[i] : margin[i];
            loss += Math.Max(z, 0) + double.LogP1(Math.Exp(-Math.Abs(z)));
        }

        return loss + 0.5 * penalty.DotProduct(theta.PointwiseMultiply(theta));
    }
}
