using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The server kept answering 429, or asked for a wait longer than the client may sleep.
/// <see cref="FirecrawlApiException.RetryAfter"/> says how long the server asked callers to wait before trying again.
/// </summary>
public class FirecrawlRateLimitException : FirecrawlApiException
{
    /// <summary>Creates the exception with the standard message.</summary>
    /// <param name="error">What the server said.</param>
    /// <param name="retryAfter">The wait the server asked for, if it gave one.</param>
    public FirecrawlRateLimitException(FirecrawlError error, TimeSpan? retryAfter)
        : this(error, retryAfter, FormatRateLimitMessage(error, retryAfter), innerException: null)
    {
    }

    /// <summary>Creates the exception with a message of the caller's choosing.</summary>
    /// <param name="error">What the server said.</param>
    /// <param name="retryAfter">The wait the server asked for, if it gave one.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlRateLimitException(FirecrawlError error, TimeSpan? retryAfter, string message, Exception? innerException)
        : base(HttpStatusCode.TooManyRequests, error, message, innerException)
    {
        RetryAfter = retryAfter;
    }

    private static string FormatRateLimitMessage(FirecrawlError error, TimeSpan? retryAfter) =>
        retryAfter is { } wait
            ? $"{FormatMessage(HttpStatusCode.TooManyRequests, error)} (retry after {wait.TotalSeconds:0.###} s)"
            : FormatMessage(HttpStatusCode.TooManyRequests, error);
}
