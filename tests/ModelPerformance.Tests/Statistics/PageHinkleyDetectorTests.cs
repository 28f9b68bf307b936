using ModelPerformance.Grains.Statistics;
using Xunit.Abstractions;

namespace ModelPerformance.Tests.Statistics;

/// <summary>
/// Seeded simulations of the bounds of SEMANTICS "Concept drift": at most one false alarm per 10,000
/// stationary errors, detection within 300 errors of a rise of the mean by one standard deviation,
/// the same verdicts at any scale.
/// </summary>
public sealed class PageHinkleyDetectorTests(ITestOutputHelper output)
{
    private const int Runs = 20;
    private const int StationaryLength = 10_000;
    private const int DelayRuns = 200;
    private const int PreChangeLength = 1_000;
    private const int MaxDelay = 300;

    /// <summary>Error streams and their true standard deviations.</summary>
    public static TheoryData<string> Streams => ["gaussian", "half-normal", "abs-student-t3", "lognormal", "binary-0.02", "binary-0.05", "binary-0.1", "binary-0.3"];

    [Theory]
    [MemberData(nameof(Streams))]
    public void Stationary_errors_raise_at_most_one_false_alarm_per_10000(string stream)
    {
        var alarms = StationaryAlarms(1000, random => Draw(stream, random, shifted: false));

        output.WriteLine($"{stream}: {alarms.Sum()} false alarms in {Runs} x {StationaryLength} errors");
        Assert.All(alarms, a => Assert.True(a <= 1, $"{a} false alarms in one run of {StationaryLength}"));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Rise_of_one_standard_deviation_is_detected_within_300_errors(string stream)
    {
        var delays = new List<int>();
        for (var run = 0; run < DelayRuns; run++)
        {
            var random = new Random(5000 + run);
            var detector = new PageHinkleyDetector();
            for (var i = 0; i < PreChangeLength; i++)
            {
                detector.Add(Draw(stream, random, shifted: false));
            }

            var delay = 1;
            while (!detector.Add(Draw(stream, random, shifted: true)) && delay <= 10 * MaxDelay)
            {
                delay++;
            }

            delays.Add(delay);
        }

        delays.Sort();
        output.WriteLine($"{stream}: delay median {delays[DelayRuns / 2]}, p95 {delays[DelayRuns * 95 / 100]}, max {delays[^1]} over {DelayRuns} runs");
        Assert.True(delays[^1] <= MaxDelay, $"slowest detection took {delays[^1]} errors");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.005)]
    public void Rare_misclassifications_raise_at_most_one_false_alarm_per_10000(double rate)
    {
        var alarms = StationaryAlarms(2000, random => Bernoulli(random, rate, shifted: false));

        output.WriteLine($"binary-{rate}: {alarms.Sum()} false alarms in {Runs} x {StationaryLength} errors");
        Assert.All(alarms, a => Assert.True(a <= 1, $"{a} false alarms in one run of {StationaryLength}"));
    }

    [Fact]
    public void A_binary_warm_up_that_saw_no_error_waits_for_errors_before_it_trusts_a_rate()
    {
        var detector = new PageHinkleyDetector();
        for (var i = 0; i < 1000; i++)
        {
            detector.Add(0);
        }
        for (var i = 0; i < PageHinkleyDetector.BinaryWarmUpErrors - 1; i++)
        {
            detector.Add(1);
        }

        Assert.True(detector.Binary);
        Assert.True(detector.IsWarmingUp);
        detector.Add(1);
        Assert.False(detector.IsWarmingUp);
        // The rate learnt includes the 1,000 correct answers: 5 errors in 1,005.
        Assert.Equal(5.0 / 1005, detector.ReferenceMean, 1e-12);
    }

    [Fact]
    public void A_binary_stream_is_recognised_at_any_scale_and_its_state_survives_a_save()
    {
        var random = new Random(6);
        var detector = new PageHinkleyDetector();
        for (var i = 0; i < 600; i++)
        {
            detector.Add(Bernoulli(random, 0.1, shifted: false) * 1000);
        }

        var restored = ModelPerformance.Grains.Monitors.DetectorState.Of(detector).ToDetector();

        Assert.True(detector.Binary);
        Assert.False(detector.IsWarmingUp);
        Assert.Equivalent(detector, restored, strict: true);
    }

    [Fact]
    public void Scaling_the_errors_by_1000_changes_no_verdict()
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var random = new Random(seed);
            var errors = Enumerable.Range(0, 3000).Select(i => Draw("abs-student-t3", random, shifted: i >= 1500)).ToArray();

            var alarms = Alarms(errors, 1);

            Assert.NotEmpty(alarms);
            Assert.Equal(alarms, Alarms(errors, 1000));
        }
    }

    [Fact]
    public void Constant_errors_never_finish_the_warm_up()
    {
        var detector = new PageHinkleyDetector();

        for (var i = 0; i < 1000; i++)
        {
            Assert.False(detector.Add(0));
        }

        Assert.True(detector.IsWarmingUp);
        Assert.Equal(1000, detector.SamplesSinceReset);
    }

    [Fact]
    public void Firing_resets_the_detector()
    {
        var random = new Random(3);
        var detector = new PageHinkleyDetector();
        for (var i = 0; i < 500; i++)
        {
            detector.Add(Draw("gaussian", random, shifted: false));
        }

        var fired = false;
        for (var i = 0; i < 1000 && !fired; i++)
        {
            fired = detector.Add(Draw("gaussian", random, shifted: true));
        }

        Assert.True(fired);
        Assert.Equal(0, detector.SamplesSinceReset);
        Assert.True(detector.IsWarmingUp);
        Assert.Equal("PAGE_HINKLEY", detector.Name);
    }

    [Fact]
    public void Reset_forgets_the_reference()
    {
        var random = new Random(4);
        var detector = new PageHinkleyDetector();
        for (var i = 0; i < 300; i++)
        {
            detector.Add(Draw("lognormal", random, shifted: false));
        }

        detector.Reset();

        Assert.True(detector.IsWarmingUp);
        Assert.Equal(0, detector.SamplesSinceReset);
        Assert.Empty(detector.WarmUp);
        Assert.Equal(0, detector.Sum);
    }

    /// <summary>Alarms in each of <see cref="Runs"/> stationary streams, run r seeded with <paramref name="seed"/> + r.</summary>
    private static int[] StationaryAlarms(int seed, Func<Random, double> draw)
    {
        var alarms = new int[Runs];
        for (var run = 0; run < Runs; run++)
        {
            var random = new Random(seed + run);
            var detector = new PageHinkleyDetector();
            for (var i = 0; i < StationaryLength; i++)
            {
                if (detector.Add(draw(random)))
                {
                    alarms[run]++;
                }
            }
        }

        return alarms;
    }

    private static List<int> Alarms(double[] errors, double factor)
    {
        var detector = new PageHinkleyDetector();
        var alarms = new List<int>();
        for (var i = 0; i < errors.Length; i++)
        {
            if (detector.Add(errors[i] * factor))
            {
                alarms.Add(i);
            }
        }

        return alarms;
    }

    private static double Draw(string stream, Random random, bool shifted) => stream switch
    {
        "gaussian" => 5 + Normal(random) + (shifted ? 1 : 0),
        "half-normal" => Math.Abs(Normal(random)) + (shifted ? Math.Sqrt(1 - 2 / Math.PI) : 0),
        "abs-student-t3" => Math.Abs(StudentT3(random)) + (shifted ? Math.Sqrt(3 - 12 / (Math.PI * Math.PI)) : 0),
        "lognormal" => Math.Exp(Normal(random)) + (shifted ? Math.Sqrt((Math.E - 1) * Math.E) : 0),
        "binary-0.02" => Bernoulli(random, 0.02, shifted),
        "binary-0.05" => Bernoulli(random, 0.05, shifted),
        "binary-0.1" => Bernoulli(random, 0.1, shifted),
        "binary-0.3" => Bernoulli(random, 0.3, shifted),
        _ => throw new ArgumentOutOfRangeException(nameof(stream)),
    };

    /// <summary>A misclassification with rate p, or p + sqrt(p(1-p)) (one standard deviation more) after the change.</summary>
    private static double Bernoulli(Random random, double p, bool shifted) =>
        random.NextDouble() < (shifted ? p + Math.Sqrt(p * (1 - p)) : p) ? 1 : 0;

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double StudentT3(Random random)
    {
        var chi = 0.0;
        for (var i = 0; i < 3; i++)
        {
            var z = Normal(random);
            chi += z * z;
        }

        return Normal(random) / Math.Sqrt(chi / 3);
    }
}
