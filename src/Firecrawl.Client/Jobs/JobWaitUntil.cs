namespace Firecrawl.Client;

/// <summary>
/// When a cancel returns, as the Azure SDK's <c>WaitUntil</c> says for its long-running operations: when the server
/// accepted it, or when the job has gone quiet.
/// </summary>
public enum JobWaitUntil
{
    /// <summary>As soon as the server has answered the cancel. Pages in flight may still complete and be billed.</summary>
    Accepted = 0,

    /// <summary>
    /// After the cancel, read the job's status (at the pace of the rate limit, in the same bucket) until it is final and
    /// its pages and credits have not moved for <see cref="FirecrawlClientOptions.SettleInterval"/>, or until
    /// <see cref="FirecrawlClientOptions.SettleTimeout"/>; the result's <c>Settlement</c> says what it came to.
    /// </summary>
    Settled = 1,
}
