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
        // server echoed back. A masked body is parsed from its masked text.
        string raw = Encoding.UTF8.GetString(body);
        string masked = redactor.Redact(raw);
        if (!ReferenceEquals(masked, raw))
        {
            raw = masked;
            body = Encoding.UTF8.GetBytes(raw);
        }

        bool rawCut = raw.Length > FirecrawlError.MaxRawBodyLength;
        string? text = null;
        string? code = null;
        JsonElement? details = null;
        bool isJson = false;

        if (!body.IsEmpty)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                isJson = true;
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
            }
            catch (JsonException)
            {
                isJson = false;
            }
        }

        // A JSON escape (\u0066c-...) can hide a secret from the raw-text pass; the decoded text is masked again.
        string message = redactor.Redact(text ?? Describe(status, contentType, raw, body.IsEmpty, isJson));
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

    private static string? ReadText(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string Describe(HttpStatusCode status, MediaTypeHeaderValue? contentType, string raw, bool empty, bool isJson)
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

        return $"{statusText} with a non-JSON body ({contentType?.MediaType ?? "no content type"}): {snippet}";
    }

    private static string? FindExceptionId(string message)
    {
        Match match = ExceptionIdPattern().Match(message);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"exception ID is ([0-9a-fA-F]{32})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExceptionIdPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex WhitespacePattern();
}
