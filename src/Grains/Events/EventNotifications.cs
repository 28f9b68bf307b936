using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelPerformance.Grains.Events;

/// <summary>
/// Events as PostgreSQL notification payloads. A message is a JSON array of consecutive events, as many as
/// fit in one notification, so a burst of small events (an evaluation each) costs a few notifications, not
/// one each. NOTIFY takes at most 7,999 bytes of payload; an alert's details (one entry per drifted feature,
/// up to 256) or a job's hyperparameters need not fit, so such an event is a message of its own, sent as
/// several pieces, <c>&lt;message id&gt; &lt;index&gt; &lt;count&gt; &lt;JSON slice&gt;</c>, all in one
/// statement: PostgreSQL delivers the notifications of one transaction together and in order, so a listener
/// that stays connected gets every piece. The message id also keeps two equal messages of one statement from
/// being folded into one, which PostgreSQL does with equal payloads.
/// </summary>
public static class EventNotifications
{
    /// <summary>The channel every silo of a database listens on (one database holds one service's tables).</summary>
    public const string Channel = "modelperf_events";

    /// <summary>JSON bytes per piece: the limit less room for the header.</summary>
    public const int MaxSliceBytes = 7_900;

    /// <summary>Absent properties read back as null, so nulls are left out: evaluations carry a few of eight metrics.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The payloads that carry <paramref name="events"/>, in order.</summary>
    public static IReadOnlyList<string> Encode(IReadOnlyList<ServiceEvent> events)
    {
        var payloads = new List<string>();
        var pack = new StringBuilder();
        var packBytes = 0;
        void Flush()
        {
            if (pack.Length > 0)
            {
                payloads.AddRange(Pieces(pack.Insert(0, '[').Append(']').ToString(), packBytes + 1));
                pack.Clear();
                packBytes = 0;
            }
        }
        foreach (var serviceEvent in events)
        {
            var json = JsonSerializer.Serialize(serviceEvent, Json);
            var bytes = Encoding.UTF8.GetByteCount(json);
            // Two brackets and a comma at most come on top of the events' JSON.
            if (packBytes + bytes + 3 > MaxSliceBytes)
            {
                Flush();
            }
            if (pack.Length > 0)
            {
                pack.Append(',');
            }
            pack.Append(json);
            packBytes += bytes + 1;
            if (packBytes + 2 > MaxSliceBytes)
            {
                Flush();
            }
        }
        Flush();
        return payloads;
    }

    /// <summary>The events of a message that <see cref="Assembler"/> put back together.</summary>
    public static IReadOnlyList<ServiceEvent> Decode(string message) =>
        JsonSerializer.Deserialize<ServiceEvent[]>(message, Json) ?? throw new FormatException("an event notification holds JSON null");

    private static IEnumerable<string> Pieces(string message, int bytes)
    {
        var id = Guid.CreateVersion7().ToString("N");
        if (bytes <= MaxSliceBytes)
        {
            return [string.Concat(id, " 0 1 ", message)];
        }
        var slices = Slice(message);
        return slices.Select((slice, i) => string.Create(CultureInfo.InvariantCulture, $"{id} {i} {slices.Count} {slice}"));
    }

    /// <summary>Cuts between characters (never inside a surrogate pair) so that each slice has at most <see cref="MaxSliceBytes"/> UTF-8 bytes.</summary>
    private static List<string> Slice(string json)
    {
        var slices = new List<string>();
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < json.Length;)
        {
            var width = char.IsHighSurrogate(json[i]) && i + 1 < json.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(json.AsSpan(i, width));
            if (bytes + size > MaxSliceBytes)
            {
                slices.Add(json[start..i]);
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += width;
        }
        slices.Add(json[start..]);
        return slices;
    }

    /// <summary>
    /// Puts pieces back together on one listening connection. Pieces of a message that never completes can
    /// only come from a connection lost midway; <see cref="Reset"/> drops them when the listener reconnects.
    /// </summary>
    public sealed class Assembler
    {
        private readonly Dictionary<string, string?[]> partial = new(StringComparer.Ordinal);

        /// <summary>
        /// The message once its last piece arrived (for <see cref="Decode"/>), else null; throws
        /// <see cref="FormatException"/> on a payload that is not a piece.
        /// </summary>
        public string? Accept(string payload)
        {
            // The header is read in place: a payload is up to 8 kB and most are a whole message.
            var header = payload.AsSpan();
            var idEnd = header.IndexOf(' ');
            var indexEnd = idEnd < 0 ? -1 : header[(idEnd + 1)..].IndexOf(' ') + idEnd + 1;
            var countEnd = indexEnd <= idEnd ? -1 : header[(indexEnd + 1)..].IndexOf(' ') + indexEnd + 1;
            if (idEnd <= 0 || indexEnd <= idEnd || countEnd <= indexEnd
                || !int.TryParse(header[(idEnd + 1)..indexEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || !int.TryParse(header[(indexEnd + 1)..countEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count < 1 || index >= count)
            {
                throw new FormatException("not an event notification");
            }
            if (count == 1)
            {
                return payload[(countEnd + 1)..];
            }
            var id = payload[..idEnd];
            if (!partial.TryGetValue(id, out var pieces))
            {
                pieces = new string?[count];
                partial[id] = pieces;
            }
            if (pieces.Length != count)
            {
                throw new FormatException("pieces of one event disagree on their count");
            }
            pieces[index] = payload[(countEnd + 1)..];
            if (pieces.Any(p => p is null))
            {
                return null;
            }
            partial.Remove(id);
            return string.Concat(pieces);
        }

        public void Reset() => partial.Clear();
    }
}
