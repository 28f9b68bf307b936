using System.Globalization;
using System.Text;
using ModelPerformance.Grains.Interfaces;

namespace ModelPerformance.Grains.History;

/// <summary>
/// The opaque <c>after</c> cursor of the monitors list: the last monitor of a page, base64-encoded, as its key, or
/// as its health rank and key when the page is worst first.
/// </summary>
public static class MonitorCursor
{
    public sealed record Position(int? Rank, MonitorKey Key);

    public static string Encode(MonitorListing last, MonitorOrder order) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(order == MonitorOrder.WorstFirst ? $"{HealthRank.Of(last.Health)}|{last.Key}" : last.Key.ToString()));

    public static Position? Decode(string? cursor, MonitorOrder order)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            int? rank = null;
            if (order == MonitorOrder.WorstFirst)
            {
                // '|' is in no id, so neither kind of cursor passes for the other.
                var bar = text.IndexOf('|');
                rank = bar == 1 && int.TryParse(text[..1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r <= 3 ? r : null;
                text = rank is null ? "" : text[2..];
            }
            var key = text.Contains('/') ? MonitorKey.Parse(text) : default;
            if ((order != MonitorOrder.WorstFirst || rank is not null) && MonitorKey.IsValidId(key.ModelId) && MonitorKey.IsValidId(key.MachineId))
            {
                return new Position(rank, key);
            }
        }
        catch (FormatException)
        {
        }
        throw ServiceException.BadInput("after is not a cursor this service issued for this order", "after");
    }
}
