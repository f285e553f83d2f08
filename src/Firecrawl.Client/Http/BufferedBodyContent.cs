namespace Firecrawl.Client;

/// <summary>
/// A response body read inside the attempt, up to <see cref="FirecrawlClientSettings.MaxResponseBodyBytes"/>. Reading
/// it there puts a stalled or truncated body under the attempt timeout and the retries, and the bound means a hostile
/// body costs at most that much memory.
/// </summary>
internal sealed class BufferedBodyContent : ByteArrayContent
{
    private readonly byte[] _buffer;
    private readonly int _length;

    private BufferedBodyContent(byte[] buffer, int length, bool truncated)
        : base(buffer, 0, length)
    {
        _buffer = buffer;
        _length = length;
        Truncated = truncated;
    }

    /// <summary>Whether the server sent more than the bound; the rest was never read.</summary>
    public bool Truncated { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>The "retry after Ns" wait found in a 429 body, once <see cref="MessageHintRead"/> is set.</summary>
    public TimeSpan? MessageHint { get; set; }

    /// <summary>Whether the body was already searched for a wait hint (see <see cref="RetryHint"/>).</summary>
    public bool MessageHintRead { get; set; }

    /// <summary>Replaces the response's streamed content with a bounded, buffered copy.</summary>
    public static async Task BufferAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        HttpContent original = response.Content;
        if (original is BufferedBodyContent)
        {
            return;
        }

        // A declared length sizes the buffer exactly (plus the byte that proves the body ended), so a small success
        // body costs one small array. Copying into a sink, rather than reading a stream, skips the read stream and
        // its Task that ReadAsStreamAsync would allocate on every call.
        long? declared = original.Headers.ContentLength;
        BoundedSink sink = BoundedSink.Rent(declared is >= 0 and var length && length < limit ? (int)length + 1 : 512, limit);
        try
        {
            await original.CopyToAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (BoundedSink.FullException)
        {
            // The rest of a hostile body is never read; disposing the original content drops the connection.
        }

        var buffered = new BufferedBodyContent(sink.Buffer, sink.Count, sink.Truncated);
        BoundedSink.Return(sink);

        // Only an error description uses a header (Content-Type); a success body needs none.
        if (!response.IsSuccessStatusCode)
        {
            buffered.Headers.ContentType = original.Headers.ContentType;
        }

        response.Content = buffered;
        original.Dispose();
    }

    /// <summary>The buffered bytes of a response, or nothing for a response that was not buffered.</summary>
    public static ReadOnlySpan<byte> GetBody(HttpResponseMessage response, out bool truncated)
    {
        if (response.Content is BufferedBodyContent content)
        {
            truncated = content.Truncated;
            return content.Span;
        }

        truncated = false;
        return default;
    }

    /// <summary>
    /// A write-only stream into a growing array that refuses to grow past the bound. The sink object is reused per
    /// thread (its array is not: that goes to the content), so buffering a small body allocates only the body.
    /// </summary>
    private sealed class BoundedSink : Stream
    {
        [ThreadStatic]
        private static BoundedSink? t_cached;

        private int _limit;

        public byte[] Buffer { get; private set; } = [];

        public int Count { get; private set; }

        public bool Truncated { get; private set; }

        public static BoundedSink Rent(int capacity, int limit)
        {
            BoundedSink sink = t_cached ?? new BoundedSink();
            t_cached = null;
            sink.Buffer = new byte[capacity];
            sink.Count = 0;
            sink.Truncated = false;
            sink._limit = limit;
            return sink;
        }

        /// <summary>Hands the sink back once its array belongs to the content; it must not be used after.</summary>
        public static void Return(BoundedSink sink)
        {
            sink.Buffer = [];
            t_cached = sink;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int room = _limit - Count;
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
                byte[] grown = new byte[Math.Min(_limit, Math.Max(Buffer.Length * 2, Count + bytes.Length))];
                Buffer.AsSpan(0, Count).CopyTo(grown);
                Buffer = grown;
            }

            bytes.CopyTo(Buffer.AsSpan(Count));
            Count += bytes.Length;
        }

        /// <summary>Stops the copy once the bound is reached.</summary>
        public sealed class FullException : Exception
        {
            public FullException()
                : base("The response body is larger than the client reads.")
            {
            }
        }
    }
}
