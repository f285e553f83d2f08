namespace Firecrawl.Client;

/// <summary>
/// One of the SDK's own time limits ran out (<see cref="FirecrawlClientOptions.AttemptTimeout"/> on the last attempt,
/// or <see cref="FirecrawlClientOptions.TotalTimeout"/>). The caller's own cancellation is an
/// <see cref="OperationCanceledException"/> instead.
/// </summary>
public class FirecrawlTimeoutException : FirecrawlException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public FirecrawlTimeoutException()
        : base("A Firecrawl call timed out.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">Which limit ran out.</param>
    public FirecrawlTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the timeout that caused it.</summary>
    /// <param name="message">Which limit ran out.</param>
    /// <param name="innerException">The underlying timeout.</param>
    public FirecrawlTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
