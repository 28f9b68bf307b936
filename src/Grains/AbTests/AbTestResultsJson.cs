using System.Text.Json;
using System.Text.Json.Serialization;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.AbTests;

/// <summary>
/// A test's results as JSON for the <c>results</c> jsonb column of <c>model_ab_tests</c>, spelled as the contract's
/// <c>AbTestResults</c> fields (<c>a</c>, <c>b</c>, <c>sequentialPValue</c>, ...), arms by their contract names.
/// </summary>
public static class AbTestResultsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(AbTestResults results) => JsonSerializer.Serialize(results, Options);

    public static AbTestResults Deserialize(string json) =>
        JsonSerializer.Deserialize<AbTestResults>(json, Options) ?? throw new JsonException("the results column holds null");
}
