using System.Net.Http.Headers;

namespace Firecrawl.Client;

/// <summary>
/// The one place where text the server controls becomes part of the client's own words: a header value, a reason
/// phrase, a body, or the message of an exception raised about what arrived. Everything passes through the client's
/// <see cref="SecretRedactor"/> on its way, so a server that echoes the key back cannot make the client print it.
/// </summary>
internal static class ServerText
{
    /// <summary>The response headers whose values the client's messages quote; a test echoes the key in each one.</summary>
    public static readonly IReadOnlyList<string> QuotedHeaders = ["Location", "Content-Type"];

    /// <summary>Any text from the server, masked.</summary>
    public static string Quote(string text, SecretRedactor redactor) => redactor.Redact(text);

    /// <summary>
    /// Where a redirect points, without user info, masked across every value the header came with (a secret split
    /// over two <c>Location</c> lines is masked too); says so when there is no <c>Location</c>.
    /// </summary>
    public static string Location(HttpResponseMessage response, SecretRedactor redactor)
    {
        if (!response.Headers.NonValidated.TryGetValues("Location", out HeaderStringValues values))
        {
            return "nowhere (no Location header)";
        }

        var shown = new List<string>();
        foreach (string value in values)
        {
            shown.Add(Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out Uri? location) ? ClientConfiguration.Describe(location) : value);
        }

        return redactor.RedactHeader(shown);
    }

    /// <summary>The declared media type of a body, masked, for a description of a body that is not JSON.</summary>
    public static string MediaType(MediaTypeHeaderValue? contentType, SecretRedactor redactor) =>
        contentType?.MediaType is { } type ? redactor.Redact(type) : "no content type";

    /// <summary>An exception's message, masked, for a message of the client's own.</summary>
    public static string Message(Exception exception, SecretRedactor redactor) => redactor.Redact(exception.Message);
}
