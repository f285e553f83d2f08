namespace Firecrawl.Client;

/// <summary>How a bulk cancel runs (<see cref="FirecrawlClient.CancelBatchScrapesAsync"/> and its siblings).</summary>
public sealed class BulkCancelOptions
{
    /// <summary>The default <see cref="MaxConcurrency"/>: 8.</summary>
    public const int DefaultMaxConcurrency = 8;

    /// <summary>
    /// How many cancels are in flight at once. Default: 8. More does not finish sooner under Firecrawl's per-team rate
    /// limit; it only means more requests in flight when the limit is reached, each of which earns a 429.
    /// </summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>
    /// Told after each job ends, and about twice a second while the client waits for the rate limit to reopen.
    /// Default: <see langword="null"/>.
    /// </summary>
    public IProgress<BulkCancelProgress>? Progress { get; set; }

    /// <summary>
    /// Whether each job is also waited for until it settles (<see cref="JobWaitUntil.Settled"/>): its
    /// <see cref="JobCancellation.Settlement"/> then says what it came to, and the result adds up the credits. The status
    /// reads share the rate limit with the cancels. Default: <see cref="JobWaitUntil.Accepted"/>.
    /// </summary>
    public JobWaitUntil WaitUntil { get; set; } = JobWaitUntil.Accepted;

    /// <summary>
    /// Whether the ids are already distinct (the <c>firecrawl</c> command removes repeats as it reads), so the run keeps no
    /// set of its own: a million ids then cost one set, not two.
    /// </summary>
    internal bool IdsAreDistinct { get; set; }
}
