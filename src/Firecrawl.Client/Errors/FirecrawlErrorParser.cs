using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Firecrawl.Client;

/// <summary>
/// Turns an error body into a <see cref="FirecrawlError"/>. Error bodies reliably carry only <c>error</c>; the rest
/// is optional and some bodies (gateway pages) are not JSON at all, so parsing is lenient and never throws.
/// </summary>
internal static partial class FirecrawlErrorParser
{
    private const int SnippetLength = 200;

    public static FirecrawlError Parse(HttpStatusCode status, MediaTypeHeaderValue? contentType, ReadOnlySpan<byte> body, bool truncated, SecretRedactor redactor)
    {
        // Masked before anything is read from it, so no field (message, details, raw body) can carry a secret that the
        // server echoed back: the JSON is parsed from the masked text.
        string raw = redactor.Redact(Encoding.UTF8.GetString(body));
        bool rawCut = raw.Length > FirecrawlError.MaxRawBodyLength;
        bool isJson = TryReadJson(raw, out string? text, out string? code, out JsonElement? details);

        // A JSON escape (\u0066c-...) can hide a secret from the raw-text pass; the decoded text is masked again.
        string message = redactor.Redact(text ?? Describe(status, ServerText.MediaType(contentType, redactor), raw, body.IsEmpty, isJson));
        return new FirecrawlError
        {
            Message = message,
            Code = redactor.RedactOrNull(code),
            Details = details,
            ExceptionId = FindExceptionId(message),
            RawBody = body.IsEmpty ? null : rawCut ? raw[..FirecrawlError.MaxRawBodyLength] : raw,
            RawBodyTruncated = truncated || rawCut,
        };
    }

    /// <summary>Reads the fields of a JSON body; false when the body is empty or not JSON.</summary>
    private static bool TryReadJson(string body, out string? text, out string? code, out JsonElement? details)
    {
        text = null;
        code = null;
        details = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                JsonElement root = document.RootElement;
                text = ReadText(root, "error") ?? ReadText(root, "message");
                code = ReadText(root, "code");
                if (root.TryGetProperty("details", out JsonElement found) && found.ValueKind != JsonValueKind.Null)
                {
                    details = found.Clone();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadText(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string Describe(HttpStatusCode status, string mediaType, string raw, bool empty, bool isJson)
    {
        string statusText = $"HTTP {(int)status}";
        if (empty)
        {
            return $"{statusText} with an empty body.";
        }

        if (isJson)
        {
            return $"{statusText} with a JSON body that has no 'error' text.";
        }

        string snippet = WhitespacePattern().Replace(raw.Length > SnippetLength * 4 ? raw[..(SnippetLength * 4)] : raw, " ").Trim();
        if (snippet.Length > SnippetLength)
        {
            snippet = snippet[..SnippetLength] + "...";
        }

        return $"{statusText} with a non-JSON body ({mediaType}): {snippet}";
    }

    private static string? FindExceptionId(string message)
    {
        Match match = ExceptionIdPattern().Match(message);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// 32 hex digits (a Sentry event id, the cloud's), or a UUID with its dashes (what a self-hosted server's error
    /// handler makes when no Sentry is configured).
    /// </summary>
    [GeneratedRegex(@"exception ID is ([0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![0-9a-fA-F-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExceptionIdPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex WhitespacePattern();
}
