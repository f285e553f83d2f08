namespace Firecrawl.Client;

/// <summary>
/// The facts of one call that the pipeline's callbacks share: when it started (for the budget) and how many retries it
/// made. The runner owns it from the first attempt to the mapping of the last; on a retry it travels in Polly's
/// context (<see cref="RetryLoop"/>), and it names no Polly type itself, so the success path never loads Polly.
/// </summary>
internal sealed class CallState(long started, string path)
{
    /// <summary>The monotonic timestamp at which the call started.</summary>
    public long Started { get; } = started;

    /// <summary>The route template, for log messages.</summary>
    public string Path { get; } = path;

    public int Retries { get; set; }

    /// <summary>
    /// Set when the next retry would meet a rate-limit gate closed for longer than this call may wait: the call then
    /// ends with this exception at once, without a request, rather than with the last attempt's answer.
    /// </summary>
    public FirecrawlRateLimitException? Refusal { get; set; }
}
