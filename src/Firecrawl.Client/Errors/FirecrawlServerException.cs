using System.Net;

namespace Firecrawl.Client;

/// <summary>The server or a gateway in front of it failed (5xx) and kept failing through the retries.</summary>
public class FirecrawlServerException : FirecrawlApiException
{
    /// <summary>Creates the exception with the standard message.</summary>
    /// <param name="statusCode">The 5xx status the server answered with.</param>
    /// <param name="error">What the server said.</param>
    public FirecrawlServerException(HttpStatusCode statusCode, FirecrawlError error)
        : base(statusCode, error)
    {
    }

    /// <summary>Creates the exception with a message of the caller's choosing.</summary>
    /// <param name="statusCode">The 5xx status the server answered with.</param>
    /// <param name="error">What the server said.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlServerException(HttpStatusCode statusCode, FirecrawlError error, string message, Exception? innerException)
        : base(statusCode, error, message, innerException)
    {
    }
}
