using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Trainers;

namespace ModelPerformance.Bench;

/// <summary>The built-in trainer alone against a bare least-squares solve, and a retraining job end to end over HTTP.</summary>
public static class RetrainingScenarios
{
    private const int Samples = 1_000;
    private const int Features = 20;

    /// <summary>Samples whose actual is a linear function of 20 features plus noise, and a recorded prediction off by a constant.</summary>
    private static List<PredictionSample> Window(int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        return Enumerable.Range(0, Samples).Select(_ =>
        {
            var x = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 10).ToArray();
            var actual = 5 + x.Select((v, j) => v * weights[j]).Sum() + random.NextDouble() - 0.5;
            var features = x.Select((v, j) => (name: $"f{j:D2}", value: FeatureValue.Of(v))).ToDictionary(f => f.name, f => f.value);
            return new PredictionSample(null, actual + 3, actual, null, null, features);
        }).ToList();
    }

    /// <summary>BuiltInTrainer.Train on 1,000 x 20 against MathNet's QR solve of the same 800 x 21 system, alternating, after a warm-up.</summary>
    public static void Trainer()
    {
        var samples = Window(1);
        var design = Matrix<double>.Build.Dense((int)(Samples * BuiltInTrainer.TrainFraction), Features + 1,
            (i, j) => j == 0 ? 1 : samples[i].Features![$"f{j - 1:D2}"].Number);
        var target = Vector<double>.Build.Dense(design.RowCount, i => samples[i].Actual!.Value);
        var trainer = new List<double>();
        var solve = new List<double>();
        for (var run = 0; run < 250; run++)
        {
            var watch = Stopwatch.StartNew();
            BuiltInTrainer.Train(samples, ModelTask.Regression, "1");
            var trained = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            design.QR().Solve(target);
            var solved = watch.Elapsed.TotalMilliseconds;
            if (run >= 50)
            {
                trainer.Add(trained);
                solve.Add(solved);
            }
        }
        trainer.Sort();
        solve.Sort();
        var ratio = Stats.Percentile(trainer, 50) / Stats.Percentile(solve, 50);
        Console.WriteLine($"RESULT trainer BuiltInTrainer.Train 1,000 samples x 20 features, 200 runs: median {Stats.Percentile(trainer, 50):F2} ms, p95 {Stats.Percentile(trainer, 95):F2} ms");
        Console.WriteLine($"RESULT trainer baseline MathNet QR solve 800 x 21, same runs: median {Stats.Percentile(solve, 50):F2} ms, p95 {Stats.Percentile(solve, 95):F2} ms; trainer/solve {ratio:F1}");
    }

    /// <summary>
    /// triggerRetrain until trainingJob answers SUCCEEDED, over HTTP in memory mode, on a window of 1,000 samples with
    /// 20 features; beside it, the plain round trip of a monitor query in the same run.
    /// </summary>
    public static async Task RetrainLoopAsync()
    {
        await using var service = await BenchService.StartAsync(postgres: null);
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var samples = Window(2);
        foreach (var chunk in samples.Chunk(100))
        {
            var body = new
            {
                query = "mutation R($input: RecordPredictionsInput!) { recordPredictions(input: $input) { accepted } }",
                variables = new
                {
                    input = new
                    {
                        modelId = "bench-retrain", machineId = "press-1", modelVersion = "v1",
                        samples = chunk.Select(s => new { predicted = s.Predicted, actual = s.Actual, features = s.Features!.ToDictionary(f => f.Key, f => f.Value.Number) }),
                    },
                },
            };
            (await http.PostAsJsonAsync("/graphql", body)).EnsureSuccessStatusCode();
        }
        var loop = new List<double>();
        var roundTrip = new List<double>();
        for (var run = 0; run < 60; run++)
        {
            var watch = Stopwatch.StartNew();
            var started = await GraphQLAsync(http, "mutation { triggerRetrain(modelId: \"bench-retrain\", machineId: \"press-1\") { id } }");
            var id = started["triggerRetrain"]!["id"]!.GetValue<string>();
            while ((await GraphQLAsync(http, $"{{ trainingJob(id: \"{id}\") {{ status }} }}"))["trainingJob"]!["status"]!.GetValue<string>() is "PENDING" or "RUNNING")
            {
            }
            var ended = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await GraphQLAsync(http, "{ monitor(modelId: \"bench-retrain\", machineId: \"press-1\") { activeVersion } }");
            var plain = watch.Elapsed.TotalMilliseconds;
            if (run >= 10)
            {
                loop.Add(ended);
                roundTrip.Add(plain);
            }
        }
        loop.Sort();
        roundTrip.Sort();
        Console.WriteLine($"RESULT retrain-loop triggerRetrain to SUCCEEDED over HTTP, 1,000 x 20 window, 50 jobs: median {Stats.Percentile(loop, 50):F1} ms, p95 {Stats.Percentile(loop, 95):F1} ms");
        Console.WriteLine($"RESULT retrain-loop baseline monitor query round trip, same runs: median {Stats.Percentile(roundTrip, 50):F2} ms, p95 {Stats.Percentile(roundTrip, 95):F2} ms");
    }

    private static async Task<JsonNode> GraphQLAsync(HttpClient http, string query)
    {
        var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"] ?? throw new InvalidOperationException(body.ToJsonString());
    }
}
