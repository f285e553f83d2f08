using System.Net.Http.Headers;

namespace Firecrawl.Client;

/// <summary>
/// A response body read inside the attempt, up to the operation's bound. Reading it there puts a stalled or truncated
/// body under the attempt timeout and the retries, and the bound means a hostile body costs at most that much memory.
/// </summary>
internal readonly struct ResponseBody(byte[] buffer, int length, bool truncated, MediaTypeHeaderValue? contentType)
{
    private readonly byte[] _buffer = buffer;

    public int Length { get; } = length;

    /// <summary>Whether the server sent more than the bound; the rest was never read.</summary>
    public bool Truncated { get; } = truncated;

    public MediaTypeHeaderValue? ContentType { get; } = contentType;

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, Length);

    /// <summary>Reads the body into a bounded buffer and releases the original content (and, if cut, the connection).</summary>
    public static async ValueTask<ResponseBody> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        HttpContent original = response.Content;
        MediaTypeHeaderValue? contentType = original.Headers.ContentType;

        // A declared length sizes the buffer exactly (plus the byte that proves the body ended), so a small success
        // body costs one small array. Copying into a sink, rather than reading a stream, skips the read stream and
        // its Task that ReadAsStreamAsync would allocate on every call.
        long? declared = original.Headers.ContentLength;
        var sink = new BoundedSink(declared is >= 0 and var length && length < limit ? (int)length + 1 : 512, limit);
        try
        {
            await original.CopyToAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (BoundedSink.FullException)
        {
            // The rest of a hostile body is never read; disposing the content below drops the connection.
        }

        original.Dispose();
        return new ResponseBody(sink.Buffer, sink.Count, sink.Truncated, contentType);
    }

    /// <summary>A write-only stream into a growing array that refuses to grow past the bound.</summary>
    private sealed class BoundedSink(int capacity, int limit) : Stream
    {
        public byte[] Buffer { get; private set; } = new byte[Math.Min(capacity, limit)];

        public int Count { get; private set; }

        public bool Truncated { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int room = limit - Count;
            if (buffer.Length > room)
            {
                Append(buffer[..room]);
                Truncated = true;
                throw new FullException();
            }

            Append(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return default;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (Count + bytes.Length > Buffer.Length)
            {
                byte[] grown = new byte[Math.Min(limit, Math.Max(Buffer.Length * 2, Count + bytes.Length))];
                Buffer.AsSpan(0, Count).CopyTo(grown);
                Buffer = grown;
            }

            bytes.CopyTo(Buffer.AsSpan(Count));
            Count += bytes.Length;
        }

        /// <summary>Stops the copy once the bound is reached.</summary>
        public sealed class FullException() : Exception("The response body is larger than the client reads.");
    }
}
