namespace Firecrawl.Client;

/// <summary>
/// What a successful cancel call reports. The batch scrape, crawl and agent results derive from it; a cancel of a kind
/// given as a <see cref="FirecrawlJobKind"/> returns it as that kind's result.
/// </summary>
public record CancelJobResult
{
    /// <summary>The id of the job the call cancelled, as the caller passed it.</summary>
    public required string JobId { get; init; }

    /// <summary>Whether the job was cancelled now or had already completed.</summary>
    public required CancelOutcome Outcome { get; init; }

    /// <summary>The server's own words, when it sent any (for example "Crawl is already completed").</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Whether the outcome comes from a status read rather than from the cancel's own answer: the cancel's last attempt
    /// may have reached the server without an answer the client could read (a timeout, a connection cut, a 5xx after
    /// either), so the client read the job's status before it reported, and that status said the job had stopped.
    /// </summary>
    public bool ConfirmedByStatusRead { get; init; }

    /// <summary>
    /// What happened to the job after the cancel, when the call waited for it (<see cref="JobWaitUntil.Settled"/>);
    /// <see langword="null"/> otherwise.
    /// </summary>
    public JobSettlement? Settlement { get; init; }
}
