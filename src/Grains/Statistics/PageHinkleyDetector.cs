namespace ModelPerformance.Grains.Statistics;

/// <summary>
/// Concept drift detector on a monitor's error stream (absolute errors, or 0/1 misclassifications):
/// a one-sided Page-Hinkley (CUSUM) test for a rise of the mean error, on standardized errors so that
/// it is scale-free.
/// <para>
/// The first <see cref="WarmUpSize"/> errors after a reset fix a robust location and scale (median and
/// 1.4826·MAD, or the standard deviation where the MAD is 0, as for 0/1 errors). Every error is then
/// winsorized to ±<see cref="ClipAt"/> such scales, so that one heavy-tailed outlier cannot fire the
/// test, and standardized by the mean and standard deviation of the winsorized errors. Those keep
/// learning from every error that arrives while the test is at rest (sum 0): whether an error is
/// learnt from depends only on the errors before it, so the estimates stay unbiased when nothing
/// changes, and stop learning as soon as a rise pushes the sum up. The sum
/// S = max(0, S + z - <see cref="Allowance"/>) fires above <see cref="Threshold"/>, which is tuned for
/// a rise of one standard deviation: detection in about 50 errors, false alarms far rarer than one
/// per 10,000 (see the simulation tests).
/// </para>
/// <para>
/// A binary stream (the warm-up holds 0 and at most one other value, as 0/1 misclassifications do) is
/// tested the same way but on its own likelihood: a Bernoulli CUSUM of the log-likelihood ratio between
/// the error rate learnt so far, p, and p plus one standard deviation, sqrt(p(1-p)). Standardizing rare
/// 0/1 errors made every single error a jump of several deviations, which fired falsely on short runs of
/// errors. The rate is trusted only after <see cref="BinaryWarmUpErrors"/> errors, so a warm-up that
/// happened to see none cannot calibrate on a rate of 0; and, as above, it keeps learning while at rest.
/// Any non-zero value then counts as an error, which keeps the verdicts scale-free.
/// </para>
/// <para>
/// The public properties are the whole state, for the grain to persist. The detector resets itself
/// after it fires; errors that never vary during the warm-up give no scale, so the warm-up starts over.
/// </para>
/// </summary>
public sealed class PageHinkleyDetector
{
    public const string AlgorithmName = "PAGE_HINKLEY";

    /// <summary>Errors used to fix the location and scale after each reset.</summary>
    public const int WarmUpSize = 200;

    /// <summary>Winsorizing bound, in robust scales.</summary>
    public const double ClipAt = 3;

    /// <summary>Allowance per sample, in standard deviations: half the shift the test is tuned for.</summary>
    public const double Allowance = 0.5;

    /// <summary>Alarm threshold of the cumulative sum, in standard deviations.</summary>
    public const double Threshold = 25;

    /// <summary>
    /// Alarm threshold of the binary test's log-likelihood ratio: at least e^12, about 160,000, stationary
    /// errors between false alarms (Lorden's bound for a CUSUM of log-likelihood ratios).
    /// </summary>
    public const double BinaryThreshold = 12;

    /// <summary>Errors a binary stream must show before its rate is trusted.</summary>
    public const int BinaryWarmUpErrors = 5;

    public string Name => AlgorithmName;

    /// <summary>Errors since the last reset, including the warm-up.</summary>
    public long SamplesSinceReset { get; set; }

    /// <summary>Errors of the warm-up in progress; empty once the scale is fixed.</summary>
    public List<double> WarmUp { get; set; } = [];

    /// <summary>Robust location (median) of the warm-up errors.</summary>
    public double Location { get; set; }

    /// <summary>Robust scale of the warm-up errors; 0 while warming up.</summary>
    public double Scale { get; set; }

    /// <summary>Number, mean and sum of squared deviations (Welford) of the winsorized errors learnt from.</summary>
    public long ReferenceCount { get; set; }

    public double ReferenceMean { get; set; }

    public double ReferenceM2 { get; set; }

    /// <summary>The Page-Hinkley cumulative sum.</summary>
    public double Sum { get; set; }

    /// <summary>
    /// The stream is binary: the reference is then the error rate (ReferenceMean, learnt from ReferenceCount
    /// 0/1 values), and Scale is set to 1 once enough errors were seen.
    /// </summary>
    public bool Binary { get; set; }

    public bool IsWarmingUp => Scale == 0;

    /// <summary>Adds the next error; true when the detector fires (it has then reset itself).</summary>
    public bool Add(double error)
    {
        if (!double.IsFinite(error))
        {
            throw new ArgumentOutOfRangeException(nameof(error), error, "errors must be finite");
        }

        SamplesSinceReset++;
        if (Binary)
        {
            return AddBinary(error > 0 ? 1 : 0);
        }

        if (IsWarmingUp)
        {
            WarmUp.Add(error);
            if (WarmUp.Count >= WarmUpSize)
            {
                Calibrate();
            }

            return false;
        }

        var z = Winsorize(error);
        return Step((z - ReferenceMean) / Math.Sqrt(ReferenceM2 / ReferenceCount) - Allowance, z, Threshold);
    }

    private bool AddBinary(double error)
    {
        if (IsWarmingUp)
        {
            Learn(error);
            if (ReferenceMean * ReferenceCount >= BinaryWarmUpErrors - 0.5 && ReferenceCount >= WarmUpSize)
            {
                Scale = 1;
            }

            return false;
        }

        var rate = ReferenceMean;
        // One standard deviation more, kept below 1 so that a correct answer stays possible under the alternative.
        var shifted = Math.Min(rate + Math.Sqrt(rate * (1 - rate)), 1 - (1 - rate) / 4);
        return Step(error == 1 ? Math.Log(shifted / rate) : Math.Log((1 - shifted) / (1 - rate)), error, BinaryThreshold);
    }

    /// <summary>
    /// One step of the one-sided cumulative sum, for either test: adds the increment, learns the reference from
    /// <paramref name="learnt"/> only if the sum was at rest, and fires (resetting) above the threshold.
    /// </summary>
    private bool Step(double increment, double learnt, double threshold)
    {
        var atRest = Sum == 0;
        Sum = Math.Max(0, Sum + increment);
        if (atRest)
        {
            Learn(learnt);
        }

        if (Sum > threshold)
        {
            Reset();
            return true;
        }

        return false;
    }

    public void Reset()
    {
        SamplesSinceReset = 0;
        Binary = false;
        WarmUp.Clear();
        Location = 0;
        Scale = 0;
        ReferenceCount = 0;
        ReferenceMean = 0;
        ReferenceM2 = 0;
        Sum = 0;
    }

    private void Calibrate()
    {
        var values = WarmUp.ToArray();
        var positive = values.Where(v => v != 0).Distinct().Take(2).Count();
        if (positive <= 1 && values.Any(v => v == 0))
        {
            // 0 and at most one other value: a binary stream, learnt as 0/1 from here on (its warm-up included).
            WarmUp.Clear();
            Binary = true;
            foreach (var v in values)
            {
                AddBinary(v > 0 ? 1 : 0);
            }

            return;
        }

        Array.Sort(values);
        var median = Median(values);
        var deviations = new double[values.Length];
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - median);
            sum += values[i];
        }

        Array.Sort(deviations);
        var scale = 1.4826 * Median(deviations);
        if (scale == 0)
        {
            var mean = sum / values.Length;
            double squares = 0;
            foreach (var v in values)
            {
                squares += (v - mean) * (v - mean);
            }

            scale = Math.Sqrt(squares / values.Length);
        }

        WarmUp.Clear();
        if (scale == 0)
        {
            return;
        }

        Location = median;
        Scale = scale;
        foreach (var v in values)
        {
            Learn(Winsorize(v));
        }
    }

    private double Winsorize(double error) => Math.Clamp((error - Location) / Scale, -ClipAt, ClipAt);

    private void Learn(double z)
    {
        ReferenceCount++;
        var delta = z - ReferenceMean;
        ReferenceMean += delta / ReferenceCount;
        ReferenceM2 += delta * (z - ReferenceMean);
    }

    private static double Median(double[] sorted)
    {
        var half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }
}
