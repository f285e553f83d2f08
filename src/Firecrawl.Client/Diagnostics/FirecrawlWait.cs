namespace Firecrawl.Client;

/// <summary>What a wait the client is about to make is for.</summary>
public enum FirecrawlWaitReason
{
    /// <summary>Firecrawl's rate limit: the gate holds the attempt back (a 429's wait, or the learned pace's next window), or a retry waits out a 429's "retry after Ns".</summary>
    RateLimit = 0,

    /// <summary>A retry waits out the server's <c>Retry-After</c> header.</summary>
    RetryAfter = 1,

    /// <summary>A retry waits out the back-off after a failure.</summary>
    Backoff = 2,

    /// <summary>A wait for a stopped job to settle (<see cref="JobWaitUntil.Settled"/>) waits before its next status read.</summary>
    Settling = 3,
}

/// <summary>
/// A wait the client is about to make, as it begins: what it is for, how long, and why. For a live line at a terminal, a
/// progress display or a test; <see cref="FirecrawlClientOptions.WaitObserver"/> receives one for every wait, however
/// short, while log events keep their own templates.
/// </summary>
public sealed record FirecrawlWait
{
    /// <summary>What the wait is for.</summary>
    public required FirecrawlWaitReason Reason { get; init; }

    /// <summary>How long the client will wait (for <see cref="FirecrawlWaitReason.Settling"/>, until its next status read).</summary>
    public required TimeSpan Delay { get; init; }

    /// <summary>The operation that waits, such as <c>CancelCrawl</c>; for a settle wait, the kind's status read.</summary>
    public required string Operation { get; init; }

    /// <summary>The job, or <see langword="null"/> when the operation has none (the active-crawl list).</summary>
    public string? JobId { get; init; }

    /// <summary>For a retry: which retry the wait leads to, 1 for the first.</summary>
    public int? Retry { get; init; }

    /// <summary>For a retry: what failed, such as <c>HTTP 503</c> or an exception's type and message, with secrets masked.</summary>
    public string? Failure { get; init; }

    /// <summary>For a settle wait: the job's kind.</summary>
    public FirecrawlJobKind? Kind { get; init; }

    /// <summary>For a settle wait: what the last status read said; <see langword="null"/> before any read succeeded.</summary>
    public FirecrawlJobStatus? LastStatus { get; init; }

    /// <summary>For a settle wait: the time left before <see cref="FirecrawlClientOptions.SettleTimeout"/>.</summary>
    public TimeSpan? Left { get; init; }
}
