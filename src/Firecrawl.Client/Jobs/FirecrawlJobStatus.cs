namespace Firecrawl.Client;

/// <summary>
/// A job's status, from the first page of its status answer (the client never follows <c>next</c>: on some servers a
/// cancelled job's <c>next</c> points at itself).
/// </summary>
public sealed record FirecrawlJobStatus
{
    /// <summary>The job's id, as the caller passed it.</summary>
    public required string JobId { get; init; }

    /// <summary>The kind of job.</summary>
    public required FirecrawlJobKind Kind { get; init; }

    /// <summary>The status word the server sent, such as <c>scraping</c>, <c>cancelled</c> or <c>processing</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Where the job stands, in the same words for every kind.</summary>
    public required FirecrawlJobState State { get; init; }

    /// <summary>Whether the job has ended, in any way: nothing new starts.</summary>
    public bool IsFinal => State != FirecrawlJobState.Running;

    /// <summary>Pages completed so far; <see langword="null"/> for a kind that does not count pages (agent jobs).</summary>
    public int? Completed { get; init; }

    /// <summary>Pages completed, in flight and queued; it drops as cancelled pages fail. <see langword="null"/> for agent jobs.</summary>
    public int? Total { get; init; }

    /// <summary>
    /// Credits the job has used; <see langword="null"/> when the server did not say, or said <c>-1</c> (a self-hosted
    /// server without accounts: unknown, not a refund). It can still rise after a cancel, while pages in flight finish.
    /// </summary>
    public int? CreditsUsed { get; init; }

    /// <summary>When the server forgets the job, when it said.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The job's own error, when it failed (agent jobs say why).</summary>
    public string? Error { get; init; }
}
