using MathNet.Numerics.LinearAlgebra;

namespace ModelPerformance.Grains.Trainers;

/// <summary>The design matrix [1, x1..xk] both trainers fit on.</summary>
internal static class Design
{
    public static int FeatureCount(double[][] rows, int targets)
    {
        if (rows.Length != targets)
        {
            throw new ArgumentException($"{rows.Length} rows but {targets} targets", nameof(rows));
        }

        var features = rows.Length == 0 ? 0 : rows[0].Length;
        if (rows.Any(r => r.Length != features))
        {
            throw new ArgumentException("all rows must have the same number of features", nameof(rows));
        }

        return features;
    }

    public static Matrix<double> WithIntercept(double[][] rows, int features) =>
        Matrix<double>.Build.Dense(rows.Length, features + 1, (i, j) => j == 0 ? 1.0 : rows[i][j - 1]);
}
