using System.Net.Http.Headers;
using System.Text;

namespace Firecrawl.Client;

/// <summary>
/// A response body read inside the attempt, up to the operation's bound. Reading it there puts a stalled or truncated
/// body under the attempt timeout and the retries, and the bound means a hostile body costs at most that much memory.
/// <see cref="Span"/> is always UTF-8 without a byte-order mark: RFC 8259 lets a parser ignore the mark, and a body
/// that declares another charset (UTF-16, Latin-1) is transcoded, so every reader sees one encoding.
/// </summary>
internal readonly struct ResponseBody
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly byte[] _buffer;
    private readonly int _start;

    private readonly string? _contentType;
    private readonly MediaTypeHeaderValue? _parsedContentType;

    /// <summary>
    /// A body with the <c>Content-Type</c> header as sent. Only its charset is needed to read a success, so the header
    /// is parsed (which allocates a media type and its parameter list) only when an error answer asks for it.
    /// </summary>
    public ResponseBody(byte[] buffer, int length, bool truncated, string? contentType)
        : this(buffer, length, truncated, contentType, null)
    {
    }

    /// <summary>
    /// A body whose <c>Content-Type</c> was already parsed, as it is on content built in memory (a test's transport, a
    /// handler's own answer): read as it is held, so no text is formatted from it only to be read again.
    /// </summary>
    public ResponseBody(byte[] buffer, int length, bool truncated, MediaTypeHeaderValue? contentType)
        : this(buffer, length, truncated, null, contentType)
    {
    }

    private ResponseBody(byte[] buffer, int length, bool truncated, string? contentType, MediaTypeHeaderValue? parsed)
    {
        (_buffer, length) = ToUtf8(buffer, length, parsed is null ? CharsetOf(contentType) : parsed.CharSet);
        _start = _buffer.AsSpan(0, length).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        Length = length - _start;
        Truncated = truncated;
        _contentType = contentType;
        _parsedContentType = parsed;
    }

    public int Length { get; }

    /// <summary>Whether the server sent more than the bound; the rest was never read.</summary>
    public bool Truncated { get; }

    public MediaTypeHeaderValue? ContentType =>
        _parsedContentType ?? (MediaTypeHeaderValue.TryParse(_contentType, out MediaTypeHeaderValue? parsed) ? parsed : null);

    /// <summary>The charset parameter of a raw <c>Content-Type</c>, or null; "utf-8" and no charset cost nothing.</summary>
    internal static string? CharsetOf(string? contentType)
    {
        if (contentType is "application/json; charset=utf-8")
        {
            // What Express sends with every answer.
            return "utf-8";
        }

        int at = contentType is null ? -1 : contentType.IndexOf("charset", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        ReadOnlySpan<char> rest = contentType.AsSpan(at + "charset".Length).TrimStart();
        if (rest.IsEmpty || rest[0] != '=')
        {
            return null;
        }

        rest = rest[1..].Trim();
        int end = rest.IndexOf(';');
        rest = (end >= 0 ? rest[..end] : rest).Trim().Trim('"');
        return rest.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ? "utf-8" : rest.ToString();
    }

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(_start, Length);

    /// <summary>
    /// A bounded sink for a body of at most <paramref name="limit"/> bytes. Copying into a sink, rather than reading a
    /// stream, skips the read stream and its Task that ReadAsStreamAsync would allocate on every call. The body's
    /// declared length is not read: on a response off the wire, and on content built in memory, reading
    /// <c>Content-Length</c> parses or computes the header and boxes it, which cost more than the copy it would save.
    /// </summary>
    public static Sink CreateSink(int limit) => new(limit);

    /// <summary>The bytes in UTF-8: the same array when the charset is absent, UTF-8 or ASCII, or unknown.</summary>
    private static (byte[] Buffer, int Length) ToUtf8(byte[] buffer, int length, string? charset)
    {
        if (string.IsNullOrEmpty(charset) || length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (buffer, length);
        }

        Encoding declared;
        try
        {
            declared = Encoding.GetEncoding(charset.Trim('"', ' '));
        }
        catch (ArgumentException)
        {
            // An unknown charset: read the bytes as UTF-8, the only encoding JSON may use between systems.
            return (buffer, length);
        }

        if (declared.CodePage is 65001 or 20127)
        {
            return (buffer, length);
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(declared.GetString(buffer, 0, length));
        return (utf8, utf8.Length);
    }

    /// <summary>
    /// A write-only stream into a pooled array that refuses to grow past the bound. The body is copied out at the end into
    /// an array of its own size, so a call keeps only the bytes it read, and the pooled array goes back for the next.
    /// </summary>
    internal sealed class Sink(int limit) : Stream
    {
        /// <summary>The first rented size: any answer Firecrawl sends to a cancel or a status read fits in it.</summary>
        private const int FirstRent = 1024;

        private byte[]? _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(FirstRent, limit));

        public int Count { get; private set; }

        public bool Truncated { get; private set; }

        /// <summary>The body read so far, in UTF-8; releases the original content (and, if cut, the connection).</summary>
        public ResponseBody Complete(HttpContent original)
        {
            byte[] bytes = Count == 0 ? [] : _buffer.AsSpan(0, Count).ToArray();
            Release();
            ResponseBody body;
            if (original is ByteArrayContent or ReadOnlyMemoryContent or StreamContent)
            {
                // Content built in memory holds its header parsed: read it so, since turning it back into text formats
                // a string on every call.
                body = new ResponseBody(bytes, bytes.Length, Truncated, original.Headers.ContentType);
            }
            else
            {
                // Off the wire the header is text: read as sent, since Headers.ContentType would parse a media type on
                // every call.
                string? contentType = original.Headers.NonValidated.TryGetValues("Content-Type", out HeaderStringValues values) ? values.ToString() : null;
                body = new ResponseBody(bytes, bytes.Length, Truncated, contentType);
            }

            original.Dispose();
            return body;
        }

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

        /// <summary>A body abandoned mid-copy (a cut connection, a timeout) gives its array back too.</summary>
        protected override void Dispose(bool disposing)
        {
            Release();
            base.Dispose(disposing);
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            if (Count + bytes.Length > _buffer.Length)
            {
                byte[] grown = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(_buffer.Length * 2, Count + bytes.Length)));
                _buffer.AsSpan(0, Count).CopyTo(grown);
                ReturnCleared(_buffer, Count);
                _buffer = grown;
            }

            bytes.CopyTo(_buffer.AsSpan(Count));
            Count += bytes.Length;
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } rented)
            {
                ReturnCleared(rented, Count);
            }
        }

        /// <summary>
        /// Gives a rented array back with the bytes it held wiped: they are a server's answer, which may echo the API key,
        /// and the shared pool hands arrays to any code in the process as they were left.
        /// </summary>
        private static void ReturnCleared(byte[] rented, int used)
        {
            rented.AsSpan(0, Math.Min(used, rented.Length)).Clear();
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        /// <summary>Stops the copy once the bound is reached.</summary>
        public sealed class FullException : Exception;
    }
}
