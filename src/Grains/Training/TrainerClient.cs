using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelPerformance.Grains.Common;
using ModelPerformance.Grains.Interfaces;
using ModelPerformance.Grains.Trainers;

namespace ModelPerformance.Grains.Training;

/// <summary>
/// Sends a job to an external trainer (SEMANTICS.md, retraining schedule): one JSON POST with the job, its callback
/// token and the samples the built-in trainer would use; network errors, 408, 429 and 5xx are retried with backoff.
/// </summary>
public sealed class TrainerClient(IOptions<TrainingOptions> options) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Null when a 2xx accepted the job; otherwise why the trainer did not.</summary>
    public async Task<string?> SendAsync(TrainingJob job, TrainingRequest request, string token, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["jobId"] = job.Id,
            ["modelId"] = job.ModelId,
            ["machineId"] = job.MachineId,
            ["trigger"] = Names.Of(job.Trigger),
            ["previousVersion"] = job.PreviousVersion,
            ["hyperparameters"] = job.HyperparametersJson is { } h ? JsonNode.Parse(h) : null,
            ["callbackToken"] = token,
            ["samples"] = new JsonArray(BuiltInTrainer.WithActuals(request.Samples).Select(Sample).ToArray()),
        };
        var backoff = options.Value.FirstBackoff;
        string? failure = null;
        for (var attempt = 1; attempt <= options.Value.Attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(backoff, cancellationToken);
                backoff *= 2;
            }
            try
            {
                using var response = await http.PostAsJsonAsync(request.TrainerUrl, body, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }
                failure = $"the trainer at {request.TrainerUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}";
                if (!HttpRetry.IsRetryable((int)response.StatusCode))
                {
                    return failure;
                }
            }
            catch (HttpRequestException e)
            {
                failure = $"the trainer at {request.TrainerUrl} could not be reached: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"the trainer at {request.TrainerUrl} did not answer within {http.Timeout.TotalSeconds:F0} s";
            }
        }
        return $"{failure} ({options.Value.Attempts} attempts)";
    }

    private static JsonNode Sample(PredictionSample s) => new JsonObject
    {
        ["timestamp"] = s.Timestamp,
        ["predicted"] = s.Predicted,
        ["actual"] = s.Actual,
        ["predictedLabel"] = s.PredictedLabel,
        ["actualLabel"] = s.ActualLabel,
        ["features"] = s.Features is null ? null : new JsonObject(s.Features.Select(f =>
            new KeyValuePair<string, JsonNode?>(f.Key, f.Value.IsNumeric ? JsonValue.Create(f.Value.Number) : JsonValue.Create(f.Value.Text)))),
    };

    public void Dispose() => http.Dispose();
}
