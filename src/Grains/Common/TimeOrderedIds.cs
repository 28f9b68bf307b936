using System.Buffers.Binary;

namespace ModelPerformance.Grains.Common;

/// <summary>
/// Version 7 UUIDs (RFC 9562: 48 bits of Unix milliseconds, then 74 random bits), the same layout as
/// <see cref="Guid.CreateVersion7()"/>, for ids made once per ingested evaluation. The random bits come from
/// <see cref="Random.Shared"/> (seeded from the operating system per thread) rather than from a system call per id:
/// these ids must be unique and time-ordered, not unguessable, and ingestion makes tens of thousands a second.
/// </summary>
public static class TimeOrderedIds
{
    public static Guid New() => New(DateTimeOffset.UtcNow);

    public static Guid New(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        Span<byte> milliseconds = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(milliseconds, at.ToUnixTimeMilliseconds());
        milliseconds[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
