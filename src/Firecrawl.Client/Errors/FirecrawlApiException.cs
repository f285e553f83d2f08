using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The server answered, but not with success. <see cref="StatusCode"/> and <see cref="Error"/> say what it answered;
/// the subclasses name the statuses callers usually handle differently.
/// </summary>
public class FirecrawlApiException : FirecrawlException
{
    /// <summary>Creates an exception whose message is built from the status and the server's error text.</summary>
    /// <param name="statusCode">The HTTP status the server answered with.</param>
    /// <param name="error">What the server said.</param>
    public FirecrawlApiException(HttpStatusCode statusCode, FirecrawlError error)
        : this(statusCode, error, FormatMessage(statusCode, error), innerException: null)
    {
    }

    /// <summary>Creates an exception with a message of the caller's choosing.</summary>
    /// <param name="statusCode">The HTTP status the server answered with.</param>
    /// <param name="error">What the server said.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlApiException(HttpStatusCode statusCode, FirecrawlError error, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        StatusCode = statusCode;
        Error = error;
    }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>What the server said, including its exception id when it sent one.</summary>
    public FirecrawlError Error { get; }

    /// <summary>
    /// How long the server asked callers to wait before trying again, whatever the status: from a <c>Retry-After</c>
    /// header (seconds or a date), or from the "retry after Ns" text of a 429, padded by half a second or a little
    /// more because the server rounds that number down as often as up. <see langword="null"/> when it named no wait.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Builds the standard message: the status, the server's text and, when present, the exception id.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="error">What the server said.</param>
    /// <returns>A one-line message.</returns>
    protected static string FormatMessage(HttpStatusCode statusCode, FirecrawlError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Describe(statusCode, error);
    }

    /// <summary>The standard message, shared with the client's own messages so both read the same.</summary>
    internal static string Describe(HttpStatusCode statusCode, FirecrawlError error)
    {
        string text = $"Firecrawl answered {(int)statusCode} ({statusCode}): {error.Message}";
        return error.ExceptionId is null ? text : $"{text} [Firecrawl exception id {error.ExceptionId}: quote it to Firecrawl support]";
    }
}
