using ModelPerformance.Grains.Common;

namespace ModelPerformance.Tests.Common;

public sealed class TimeOrderedIdsTests
{
    [Fact]
    public void An_id_is_a_version_7_UUID_carrying_its_millisecond()
    {
        var at = new DateTimeOffset(2026, 12, 3, 17, 45, 12, 345, TimeSpan.Zero);
        var id = TimeOrderedIds.New(at);
        var text = id.ToString("N");
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(text[..12], 16));
        Assert.Equal('7', text[12]);
        Assert.Contains(text[16], "89ab");
        Assert.Equal(7, id.Version);
    }

    [Fact]
    public void Ids_are_unique_and_in_the_order_of_their_milliseconds_as_PostgreSQL_sorts_uuids()
    {
        var start = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200_000).Select(i => TimeOrderedIds.New(start.AddMilliseconds(i / 1000))).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // PostgreSQL compares uuids byte by byte, as the big-endian text reads.
        var texts = ids.Select(i => i.ToString("N")).ToList();
        for (var i = 1000; i < texts.Count; i += 1000)
        {
            Assert.True(string.CompareOrdinal(texts[i - 1], texts[i]) < 0, $"{texts[i - 1]} !< {texts[i]}");
        }
    }
}
