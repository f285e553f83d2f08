using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The server's two body parsers, which run before routing: <c>bodyParser.urlencoded({ extended: true })</c> (limit
/// 100 KiB) and <c>bodyParser.json({ limit: "10mb" })</c> (limit 10 MiB, strict: an object or an array). A JSON body
/// that does not parse is Express's <c>SyntaxError</c>, which the server's error handler answers 400
/// <c>BAD_REQUEST_INVALID_JSON</c>. Every other parser error (a body over its limit, whether its length was declared or
/// it came chunked; a JSON charset other than UTF; a content encoding other than gzip or deflate) is not a
/// <c>SyntaxError</c>, so it reaches the handler's last branch: 500 <c>UNKNOWN_ERROR</c> with an exception id.
/// </summary>
internal static class ExpressBodyParser
{
    /// <summary><c>"10mb"</c> as the <c>bytes</c> package reads it.</summary>
    public const int JsonLimit = 10 * 1024 * 1024;

    /// <summary>body-parser's default limit, <c>"100kb"</c>.</summary>
    public const int UrlencodedLimit = 100 * 1024;

    /// <summary>The most the control API reads of a request body, so a test cannot make it buffer gigabytes.</summary>
    public const int MaxControlBody = 1024 * 1024;

    /// <summary>What the parsers made of a request's body.</summary>
    public enum Verdict
    {
        /// <summary>No body for these parsers, or one they parsed.</summary>
        Parsed,

        /// <summary>JSON that does not parse, or is not an object or an array: Express's <c>SyntaxError</c>, 400.</summary>
        Malformed,

        /// <summary>Any other parser error: too large, an unsupported charset or encoding; 500.</summary>
        Refused,
    }

    public static async Task<(Verdict Verdict, JsonDocument? Body)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        MediaTypeHeaderValue? type = MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? parsed) ? parsed : null;
        bool json = type?.MediaType is { } media && media.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        bool urlencoded = type?.MediaType is { } form && form.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!json && !urlencoded)
        {
            return (Verdict.Parsed, null);
        }

        if (json && type!.CharSet is { Length: > 0 } charset && !charset.Trim('"').StartsWith("utf-", StringComparison.OrdinalIgnoreCase))
        {
            return (Verdict.Refused, null);
        }

        string encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip" or "deflate"))
        {
            return (Verdict.Refused, null);
        }

        int limit = json ? JsonLimit : UrlencodedLimit;

        // A declared length over the limit is refused before a byte is read, as raw-body does.
        bool identity = encoding is "" or "identity";
        if (identity && request.ContentLength > limit)
        {
            return (Verdict.Refused, null);
        }

        Stream body = identity ? request.Body
            : encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true)
            : new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        byte[]? bytes;
        try
        {
            // The limit applies to what the parser reads, inflated: a chunked body is refused once it passes it.
            bytes = await ReadBoundedAsync(body, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            // A body that does not inflate: zlib's error, not a SyntaxError.
            return (Verdict.Refused, null);
        }
        finally
        {
            if (!identity)
            {
                await body.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (bytes is null)
        {
            return (Verdict.Refused, null);
        }

        return urlencoded ? (Verdict.Parsed, null) : Parse(bytes);
    }

    /// <summary>Parses a body as the strict parser does: an object or an array, or nothing; anything else is malformed.</summary>
    public static (Verdict Verdict, JsonDocument? Body) Parse(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return (Verdict.Parsed, null);
        }

        try
        {
            // JSON.parse has no depth limit worth the name; System.Text.Json's default of 64 would refuse what it reads.
            JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 4096 });
            if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return (Verdict.Parsed, document);
            }

            document.Dispose();
            return (Verdict.Malformed, null);
        }
        catch (JsonException)
        {
            return (Verdict.Malformed, null);
        }
    }

    /// <summary>The whole body, or <see langword="null"/> as soon as it is longer than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads what is left of a body the answer did not need and drops it, as Node does once the answer is sent, so the
    /// connection stays usable for the client's next request.
    /// </summary>
    public static async Task DiscardRestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await request.Body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or InvalidOperationException or BadHttpRequestException)
        {
            // The client went away, or sent a body that does not frame: nothing is left to keep.
        }
    }
}
