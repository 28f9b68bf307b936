using System.Text.RegularExpressions;

namespace ModelPerformance.Grains.Interfaces;

/// <summary>
/// A monitor's identity, <c>modelId/machineId</c> as one grain key. Ids never contain '/', so the key
/// splits back unambiguously.
/// </summary>
public readonly partial record struct MonitorKey(string ModelId, string MachineId)
{
    public override string ToString() => $"{ModelId}/{MachineId}";

    public static MonitorKey Parse(string key)
    {
        var slash = key.IndexOf('/');
        return new MonitorKey(key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Ids are 1 to 128 characters of A-Z a-z 0-9 . _ : - (UUIDs pass).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex IdPattern();
}
