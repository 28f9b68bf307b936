using System.Diagnostics;
using System.Net.Http.Json;

namespace ModelPerformance.Bench;

/// <summary>A fresh Prometheus scrape of /metrics on a service with 10,000 active monitors, against a /health/live round trip in the same run.</summary>
public static class TelemetryScenarios
{
    public static async Task ScrapeAsync()
    {
        const int monitors = 10_000;
        await using var service = await BenchService.StartAsync(null, clusterId: "scrape");
        using var http = Scenarios.NewHttpClient(service);
        for (var b = 0; b < monitors / 1_000; b++)
        {
            var inputs = Enumerable.Range(b * 1_000, 1_000).Select(i => new { modelId = $"s{i:D5}", machineId = "bench", modelType = $"type-{i % 10}", metrics = new { rmse = 1.0 } });
            using var response = await http.PostAsJsonAsync("/graphql", new { query = "mutation($inputs: [RecordEvaluationInput!]!) { recordEvaluations(inputs: $inputs) { accepted } }", variables = new { inputs } });
            response.EnsureSuccessStatusCode();
        }
        // The exporter keeps a scrape's answer for 300 ms: scrapes 350 ms apart each build a fresh one, as Prometheus' do.
        async Task<List<double>> TimeAsync(string path, int runs)
        {
            var times = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                await Task.Delay(350);
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode || body.Length == 0)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
                }
            }
            times.Sort();
            return times;
        }
        await TimeAsync("/metrics", 5);
        await TimeAsync("/health/live", 5);
        var scrape = await TimeAsync("/metrics", 50);
        var health = await TimeAsync("/health/live", 50);
        var size = (await http.GetByteArrayAsync("/metrics")).Length;
        Console.WriteLine($"RESULT metrics-scrape {monitors} active monitors in memory mode, 50 scrapes 350 ms apart after 5 warm-up: /metrics median {Stats.Percentile(scrape, 50):F2} ms, " +
                          $"p95 {Stats.Percentile(scrape, 95):F2} ms, max {scrape[^1]:F2} ms ({size:N0} bytes); /health/live median {Stats.Percentile(health, 50):F2} ms, p95 {Stats.Percentile(health, 95):F2} ms");
    }
}
