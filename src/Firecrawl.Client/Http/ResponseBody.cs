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

    /// <summary>
    /// A body with the <c>Content-Type</c> header as sent. Only its charset is needed to read a success, so the header
    /// is parsed (which allocates a media type and its parameter list) only when an error answer asks for it.
    /// </summary>
    public ResponseBody(byte[] buffer, int length, bool truncated, string? contentType)
    {
        (_buffer, length) = ToUtf8(buffer, length, CharsetOf(contentType));
        _start = _buffer.AsSpan(0, length).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        Length = length - _start;
        Truncated = truncated;
        _contentType = contentType;
    }

    public int Length { get; }

    /// <summary>Whether the server sent more than the bound; the rest was never read.</summary>
    public bool Truncated { get; }

    public MediaTypeHeaderValue? ContentType => MediaTypeHeaderValue.TryParse(_contentType, out MediaTypeHeaderValue? parsed) ? parsed : null;

    /// <summary>The charset parameter of a raw <c>Content-Type</c>, or null; "utf-8" and no charset cost nothing.</summary>
    internal static string? CharsetOf(string? contentType)
    {
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
    /// A bounded sink for <paramref name="content"/>, sized from its declared length (plus the byte that proves the body
    /// ended), so a small success body costs one small array. Copying into a sink, rather than reading a stream, skips
    /// the read stream and its Task that ReadAsStreamAsync would allocate on every call.
    /// </summary>
    public static Sink CreateSink(HttpContent content, int limit)
    {
        long? declared = content.Headers.ContentLength;
        return new Sink(declared is >= 0 and var length && length < limit ? (int)length + 1 : 512, limit);
    }

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

    /// <summary>A write-only stream into a growing array that refuses to grow past the bound.</summary>
    internal sealed class Sink(int capacity, int limit) : Stream
    {
        public byte[] Buffer { get; private set; } = new byte[Math.Min(capacity, limit)];

        public int Count { get; private set; }

        public bool Truncated { get; private set; }

        /// <summary>The body read so far, in UTF-8; releases the original content (and, if cut, the connection).</summary>
        public ResponseBody Complete(HttpContent original)
        {
            // The header as sent, not parsed: reading Headers.ContentType would build a media type on every call.
            string? contentType = original.Headers.NonValidated.TryGetValues("Content-Type", out HeaderStringValues values) ? values.ToString() : null;
            original.Dispose();
            return new ResponseBody(Buffer, Count, Truncated, contentType);
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
        public sealed class FullException : Exception;
    }
}
