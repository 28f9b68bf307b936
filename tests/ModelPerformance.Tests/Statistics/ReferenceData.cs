using System.Text.Json;

namespace ModelPerformance.Tests.Statistics;

/// <summary>Cases and expected values written by Reference/generate_reference.py from numpy/scipy.</summary>
internal static class ReferenceData
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream("Statistics.reference.json")
            ?? throw new InvalidOperationException("reference.json is not embedded");
        return JsonDocument.Parse(stream).RootElement.Clone();
    });

    public static IEnumerable<JsonElement> Section(string name) => Root.Value.GetProperty(name).EnumerateArray();

    public static JsonElement Case(string section, string name) =>
        Section(section).Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Section(section))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static double[] Doubles(this JsonElement c, string property) =>
        c.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string[] Strings(this JsonElement c, string property) =>
        c.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static double? NullableDouble(this JsonElement c, string property) =>
        c.GetProperty(property).ValueKind == JsonValueKind.Null ? null : c.GetProperty(property).GetDouble();

    public static double Double(this JsonElement c, string property) => c.GetProperty(property).GetDouble();
}

internal static class Close
{
    /// <summary>Relative comparison, with an absolute floor for values that should be (near) zero.</summary>
    public static void Equal(double expected, double actual, double relative = 1e-9, double absolute = 1e-12)
    {
        var tolerance = Math.Max(absolute, relative * Math.Abs(expected));
        Assert.True(
            Math.Abs(expected - actual) <= tolerance,
            $"expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):R}, tolerance {tolerance:R})");
    }

    public static void Equal(double? expected, double? actual, double relative = 1e-9, double absolute = 1e-12)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Equal(e, a, relative, absolute);
        }
    }
}
