using ModelPerformance.Grains.Statistics;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Statistics;

public sealed class AbStatisticsTests(ITestOutputHelper output)
{
    public static TheoryData<string> WelchCases => ReferenceData.Names("welch");

    [Fact]
    public void Fnv1a_matches_the_reference_hashes()
    {
        foreach (var c in ReferenceData.Section("fnv1a"))
        {
            Assert.Equal(c.GetProperty("hash").GetUInt32(), AbStatistics.Fnv1a(c.GetProperty("key").GetString()!));
        }
    }

    [Fact]
    public void Assignment_is_stable_and_follows_the_split()
    {
        var toB = Enumerable.Range(0, 10_000).Count(i => AbStatistics.AssignsToB("test-1", "unit-" + i, 0.3));

        Assert.InRange(toB, 2800, 3200);
        Assert.Equal(AbStatistics.AssignsToB("test-1", "unit-7", 0.3), AbStatistics.AssignsToB("test-1", "unit-7", 0.3));
        Assert.False(AbStatistics.AssignsToB("test-1", "unit-7", 0));
        Assert.True(AbStatistics.AssignsToB("test-1", "unit-7", 1));
    }

    [Theory]
    [MemberData(nameof(WelchCases))]
    public void Welch_test_matches_scipy(string name)
    {
        var c = ReferenceData.Case("welch", name);

        var r = AbStatistics.Welch(ArmSummary.Of(c.Doubles("a")), ArmSummary.Of(c.Doubles("b")))!.Value;

        Close.Equal(c.Double("t"), r.T);
        Close.Equal(c.Double("df"), r.DegreesOfFreedom);
        Close.Equal(c.Double("p"), r.PValue, relative: 1e-8, absolute: 1e-300);
        Close.Equal(c.Double("low"), r.ConfidenceLow, relative: 1e-8);
        Close.Equal(c.Double("high"), r.ConfidenceHigh, relative: 1e-8);
    }

    [Fact]
    public void Welch_needs_two_samples_per_arm()
    {
        Assert.Null(AbStatistics.Welch(ArmSummary.Of([1.0]), ArmSummary.Of([1.0, 2.0])));
    }

    [Fact]
    public void Relative_lift_is_null_when_a_averages_zero()
    {
        Assert.Null(AbStatistics.RelativeLift(new ArmSummary(3, 0, 1), new ArmSummary(3, 1, 1)));
        Assert.Equal(-0.5, AbStatistics.RelativeLift(new ArmSummary(3, -2, 1), new ArmSummary(3, -3, 1)));
    }

    [Fact]
    public void Sample_ratio_mismatch_matches_scipy_chisquare()
    {
        foreach (var c in ReferenceData.Section("srm"))
        {
            Close.Equal(c.Double("p"), AbStatistics.SampleRatioMismatchPValue(c.GetProperty("nA").GetInt64(), c.GetProperty("nB").GetInt64(), c.Double("split")));
        }

        Assert.True(AbStatistics.SampleRatioMismatch(1000, 1200, 0.5));
        Assert.False(AbStatistics.SampleRatioMismatch(540, 460, 0.5));
    }

    [Fact]
    public void Sequential_p_value_under_no_difference_drops_below_5_percent_in_at_most_5_percent_of_tests()
    {
        const int tests = 400;
        var rejected = 0;
        for (var test = 0; test < tests; test++)
        {
            var random = new Random(test);
            var a = new Welford();
            var b = new Welford();
            double? p = null;
            for (var i = 0; i < 2000 && !(p < 0.05); i++)
            {
                a.Add(Normal(random));
                b.Add(Normal(random));
                if (i >= 10)
                {
                    p = AbStatistics.NextSequentialPValue(p, a.Summary, b.Summary);
                }
            }

            rejected += p < 0.05 ? 1 : 0;
        }

        output.WriteLine($"{rejected} of {tests} A/A tests read after every pair ever dropped below 0.05");
        Assert.True(rejected <= tests * 0.05, $"{rejected} of {tests} A/A tests rejected");
    }

    [Fact]
    public void Sequential_p_value_finds_a_real_difference()
    {
        var random = new Random(11);
        var a = new Welford();
        var b = new Welford();
        double? p = null;
        var n = 0;
        while (!(p < 0.05) && n < 5000)
        {
            a.Add(Normal(random));
            b.Add(0.3 + Normal(random));
            n++;
            if (n > 10)
            {
                p = AbStatistics.NextSequentialPValue(p, a.Summary, b.Summary);
            }
        }

        output.WriteLine($"a difference of 0.3 standard deviations was found after {n} samples per arm");
        Assert.True(p < 0.05);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class Welford
    {
        private long n;
        private double mean;
        private double m2;

        public ArmSummary Summary => new(n, mean, n < 2 ? 0 : Math.Sqrt(m2 / (n - 1)));

        public void Add(double x)
        {
            n++;
            var d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }
    }
}
