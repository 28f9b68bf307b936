using System.Buffers;

namespace ModelPerformance.GraphQL.Transport;

/// <summary>A request body read whole into a pooled buffer: batches run to hundreds of kilobytes, which would otherwise land on the large object heap.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? buffer;
    private int length;

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public Stream AsStream() => new MemoryStream(buffer ?? [], 0, length, writable: false);

    /// <summary>Reads to the end; a Content-Length sizes the buffer (one byte more, so that the end is seen without growing).</summary>
    public async Task ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(contentLength ?? 16 * 1024, GraphQLHttpHandler.MaxBodyBytes) + 1);
        while (true)
        {
            if (length == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return;
            }
            length += read;
        }
    }

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}
