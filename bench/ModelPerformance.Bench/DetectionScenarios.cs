using ModelPerformance.Testing;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Statistics;

namespace ModelPerformance.Bench;

/// <summary>The speed of detection: drift-check, alert-latency and checks-10k (each in its own file).</summary>
public static partial class DetectionScenarios
{
    private const string MachineId = "bench";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static PredictionSample[] Samples(int count, int features, int seed, double shift = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var values = new Dictionary<string, FeatureValue>(features);
            for (var f = 0; f < features; f++)
            {
                values[$"f{f:D2}"] = FeatureValue.Of(random.NextDouble() * 100 + shift);
            }
            var actual = random.NextDouble() * 100;
            return new PredictionSample(null, actual + random.NextDouble() - 0.5, actual, null, null, values);
        }).ToArray();
    }

    private static string Summary(List<double> values)
    {
        values.Sort();
        return $"n={values.Count} median {Stats.Percentile(values, 50):F3} ms, p95 {Stats.Percentile(values, 95):F3} ms, " +
               $"p99 {Stats.Percentile(values, 99):F3} ms, max {values[^1]:F3} ms";
    }

    private static async Task<(double Service, double Postgres, double ServiceCpuSeconds)> MeasureCpuAsync(TimeSpan duration)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var pg0 = PostgresCpu.Read().TotalSeconds;
        var wall = Stopwatch.StartNew();
        await Task.Delay(duration);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var pg = PostgresCpu.Read().TotalSeconds - pg0;
        var seconds = wall.Elapsed.TotalSeconds;
        return (cpu / seconds / Environment.ProcessorCount, pg / seconds / Environment.ProcessorCount, cpu);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object variables)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { query, variables }, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/graphql", content);
        var text = await response.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(text);
        if (!response.IsSuccessStatusCode || node?["errors"] is not null || node?["data"] is null)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text[..Math.Min(2000, text.Length)]}");
        }
        return node["data"]!;
    }
}
