using ModelPerformance.Grains.AbTests;
using ModelPerformance.Grains.Interfaces;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Statistics;

/// <summary>
/// The arms' online moments, and seeded simulations of whole tests run through the same judgement the grain uses:
/// how often a test with no true difference would ever be called when read after every batch, and how quickly a
/// real difference is found.
/// </summary>
public sealed class AbTestSimulationTests(ITestOutputHelper output)
{
    private const int Tests = 500;
    private const int MaxPerArm = 2_000;
    private const int Batch = 20;

    [Fact]
    public void Moments_added_one_by_one_or_merged_in_chunks_match_a_two_pass_computation()
    {
        var random = new Random(11);
        // A large offset with small noise is where a naive sum of squares loses every digit.
        var values = Enumerable.Range(0, 10_001).Select(_ => 1e6 + Gaussian(random) * 0.01).ToArray();
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);

        var online = values.Aggregate(ArmMoments.Empty, (m, v) => m.Add(v));
        var merged = values.Chunk(777)
            .Select(chunk => chunk.Aggregate(ArmMoments.Empty, (m, v) => m.Add(v)))
            .Aggregate(ArmMoments.Empty, (m, chunk) => m.Merge(chunk));

        foreach (var moments in new[] { online, merged })
        {
            Assert.Equal(values.Length, moments.Count);
            Close.Equal(mean, moments.Mean, relative: 1e-12);
            Close.Equal(Math.Sqrt(variance), moments.StandardDeviation, relative: 1e-6);
        }
        Assert.Equal(online, ArmMoments.Empty.Merge(online));
        Assert.Equal(online, online.Merge(ArmMoments.Empty));
        Assert.Equal(0, ArmMoments.Empty.Add(3).StandardDeviation);
    }

    [Fact]
    public void Read_after_every_batch_a_test_without_a_difference_is_called_at_most_six_percent_of_the_time()
    {
        var sequentialCalls = 0;
        var naiveCalls = 0;
        for (var seed = 0; seed < Tests; seed++)
        {
            var run = Run(seed, effect: 0);
            sequentialCalls += run.SequentialEverBelow ? 1 : 0;
            naiveCalls += run.NaiveEverBelow ? 1 : 0;
        }

        var sequentialShare = (double)sequentialCalls / Tests;
        var naiveShare = (double)naiveCalls / Tests;
        output.WriteLine($"A/A tests {Tests}, read every {Batch} outcomes up to {MaxPerArm} per arm: " +
                         $"sequentialPValue ever < 0.05 in {sequentialShare:P1}, Welch pValue ever < 0.05 in {naiveShare:P1}");
        Assert.InRange(sequentialShare, 0, 0.06);
        // The reason for the sequential p-value: peeking at the plain one calls far more than 5% of A/A tests.
        Assert.True(naiveShare > 0.15, $"naive share {naiveShare:P1}");
    }

    [Fact]
    public void A_difference_of_a_fifth_of_a_standard_deviation_is_found_with_the_right_winner()
    {
        var right = 0;
        var wrong = 0;
        var samplesNeeded = new List<int>();
        for (var seed = 0; seed < Tests; seed++)
        {
            var run = Run(seed + 100_000, effect: -0.2);
            if (run.Winner == AbArm.B)
            {
                right++;
                samplesNeeded.Add(run.DecidedAt!.Value);
            }
            else if (run.Winner == AbArm.A)
            {
                wrong++;
            }
        }

        samplesNeeded.Sort();
        var median = samplesNeeded.Count == 0 ? 0 : samplesNeeded[samplesNeeded.Count / 2];
        var share = (double)right / Tests;
        output.WriteLine($"B lower by 0.2 SD (MAE-like, lower is better), {Tests} tests: right winner before {MaxPerArm} per arm in {share:P1}, " +
                         $"wrong winner {wrong}, median samples per arm when decided {median}");
        Assert.True(share >= 0.9, $"right winner in {share:P1}");
        Assert.Equal(0, wrong);
        Assert.InRange(median, AbTestJudgement.SequentialWarmUp, MaxPerArm);
    }

    /// <summary>
    /// One test with outcomes N(0, 1) in A and N(effect, 1) in B, half of each batch to each arm, read after each batch
    /// as the grain reads it. The decision is the first one (where the grain completes); the naive reading goes on to the end.
    /// </summary>
    private static Outcome Run(int seed, double effect)
    {
        var random = new Random(seed);
        var test = new AbTest(Guid.Empty, "model", "machine", "v1", "v2", 0.5, Metric.Mae, true, AbTestStatus.Running,
            DateTime.UnixEpoch, null, null, AbTestDefinition.DefaultMinSamplesPerArm, false, null!);
        var a = ArmMoments.Empty;
        var b = ArmMoments.Empty;
        double? sequential = null;
        int? decidedAt = null;
        AbArm? winner = null;
        var naive = false;
        while (a.Count < MaxPerArm)
        {
            for (var i = 0; i < Batch / 2; i++)
            {
                a = a.Add(Gaussian(random));
                b = b.Add(effect + Gaussian(random));
            }
            sequential = AbTestJudgement.NextSequentialPValue(sequential, a, b);
            var results = AbTestJudgement.Results(test, a, b, sequential);
            naive |= results.PValue < AbTestJudgement.Alpha;
            if (decidedAt is null && results.Winner is not null)
            {
                decidedAt = (int)a.Count;
                winner = results.Winner;
            }
        }
        return new Outcome(decidedAt, winner, sequential < AbTestJudgement.Alpha, naive);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <param name="SequentialEverBelow">The running minimum is below alpha at the end, so some reading was.</param>
    private sealed record Outcome(int? DecidedAt, AbArm? Winner, bool SequentialEverBelow, bool NaiveEverBelow);
}
