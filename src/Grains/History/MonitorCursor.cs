using System.Text;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>The opaque <c>after</c> cursor of the monitors list: the last key of a page, base64-encoded.</summary>
public static class MonitorCursor
{
    public static string Encode(MonitorKey key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ToString()));

    public static MonitorKey? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var key = text.Contains('/') ? MonitorKey.Parse(text) : default;
            if (MonitorKey.IsValidId(key.ModelId) && MonitorKey.IsValidId(key.MachineId))
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }
        throw ServiceException.BadInput("after is not a cursor this service issued", "after");
    }
}
