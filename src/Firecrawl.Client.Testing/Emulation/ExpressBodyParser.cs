using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// Express's JSON body parser: a body sent as <c>application/json</c> must be an object or an array (strict mode);
/// an empty one counts as none. Anything else is refused before routing.
/// </summary>
internal static class ExpressBodyParser
{
    /// <summary>The most the emulator reads of a request body, so a test cannot make it buffer gigabytes.</summary>
    public const int MaxRequestBody = 1024 * 1024;

    public static async Task<(bool Ok, JsonDocument? Body)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (true, null);
        }

        byte[]? bytes = await ReadBoundedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        return bytes is null ? (false, null) : Parse(bytes);
    }

    /// <summary>Parses a body as the strict parser does; <c>Ok</c> is false for anything it would refuse.</summary>
    public static (bool Ok, JsonDocument? Body) Parse(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return (true, null);
        }

        try
        {
            JsonDocument document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return (true, document);
            }

            document.Dispose();
            return (false, null);
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }

    /// <summary>The whole body, or <see langword="null"/> when it is longer than <see cref="MaxRequestBody"/>.</summary>
    public static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxRequestBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
