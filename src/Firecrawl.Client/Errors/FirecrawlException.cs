namespace Firecrawl.Client;

/// <summary>
/// The base of every failure of a Firecrawl call, except a bad argument (<see cref="ArgumentException"/>) and the
/// caller's own cancellation (<see cref="OperationCanceledException"/>). A network failure that outlasted the retries
/// is a plain <see cref="FirecrawlException"/> with the original exception inside.
/// </summary>
public class FirecrawlException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public FirecrawlException()
        : base("A Firecrawl call failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong, in words a person can act on.</param>
    public FirecrawlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the failure that caused it.</summary>
    /// <param name="message">What went wrong, in words a person can act on.</param>
    /// <param name="innerException">The original failure, such as an <see cref="HttpRequestException"/>.</param>
    public FirecrawlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
