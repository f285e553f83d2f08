using System.Net;

namespace Firecrawl.Client;

/// <summary>The API key is missing, malformed or not accepted (401). Set ApiKey or FIRECRAWL_API_KEY to a valid key.</summary>
public class FirecrawlUnauthorizedException : FirecrawlApiException
{
    /// <summary>Creates the exception with the standard message.</summary>
    /// <param name="error">What the server said.</param>
    public FirecrawlUnauthorizedException(FirecrawlError error)
        : base(HttpStatusCode.Unauthorized, error)
    {
    }

    /// <summary>Creates the exception with a message of the caller's choosing.</summary>
    /// <param name="error">What the server said.</param>
    /// <param name="message">The exception message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public FirecrawlUnauthorizedException(FirecrawlError error, string message, Exception? innerException)
        : base(HttpStatusCode.Unauthorized, error, message, innerException)
    {
    }
}
