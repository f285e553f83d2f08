using System.Net;

namespace Firecrawl.Client;

/// <summary>The key is valid but the job belongs to another team (403 on v1).</summary>
public class FirecrawlForbiddenException : FirecrawlApiException
{
    /// <summary>Creates the exception with the standard message.</summary>
    /// <param name="error">What the server said.</param>
    public FirecrawlForbiddenException(FirecrawlError error)
        : base(HttpStatusCode.Forbidden, error)
    {
    }

    /// <summary>Creates the exception with a message of the caller's choosing.</summary>
    /// <param name="error">What the server said.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlForbiddenException(FirecrawlError error, string message, Exception? innerException)
        : base(HttpStatusCode.Forbidden, error, message, innerException)
    {
    }
}
