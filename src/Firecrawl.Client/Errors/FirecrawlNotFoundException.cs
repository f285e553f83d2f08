using System.Net;

namespace Firecrawl.Client;

/// <summary>The job id is unknown, expired (jobs expire 24 hours after their last read) or, on v1, not a UUID (404).</summary>
public class FirecrawlNotFoundException : FirecrawlApiException
{
    /// <summary>Creates the exception with the standard message.</summary>
    /// <param name="error">What the server said.</param>
    public FirecrawlNotFoundException(FirecrawlError error)
        : base(HttpStatusCode.NotFound, error)
    {
    }

    /// <summary>Creates the exception with a message of the caller's choosing.</summary>
    /// <param name="error">What the server said.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlNotFoundException(FirecrawlError error, string message, Exception? innerException)
        : base(HttpStatusCode.NotFound, error, message, innerException)
    {
    }
}
