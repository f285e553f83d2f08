namespace Firecrawl.Client;

/// <summary>What a successful cancel call reports. Shared by the batch scrape and crawl results.</summary>
public abstract record CancelJobResult
{
    /// <summary>The id of the job the call cancelled, as the caller passed it.</summary>
    public required string JobId { get; init; }

    /// <summary>Whether the job was cancelled now or had already completed.</summary>
    public required CancelOutcome Outcome { get; init; }

    /// <summary>The server's own words, when it sent any (for example "Crawl is already completed").</summary>
    public string? Message { get; init; }
}
