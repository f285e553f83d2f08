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

    /// <summary>Replaces the response's streamed content with a bounded, buffered copy.</summary>
    public static async Task BufferAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        HttpContent original = response.Content;
        if (original is BufferedBodyContent)
        {
            return;
        }

        long? declared = original.Headers.ContentLength;
        int initial = declared is >= 0 and var length && length <= limit ? (int)length : 512;
        byte[] buffer = new byte[Math.Max(initial, 1)];
        int filled = 0;
        bool truncated = false;

        Stream stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= limit)
                    {
                        // One more byte tells a body of exactly `limit` bytes from a longer one.
                        truncated = await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0;
                        break;
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }

        var buffered = new BufferedBodyContent(buffer, filled, truncated);
        foreach (KeyValuePair<string, IEnumerable<string>> header in original.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
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
}
