namespace Firecrawl.Client.Testing;

/// <summary>One job the emulator holds: what the server keeps about a crawl or a batch scrape, and its state.</summary>
internal sealed class EmulatedJob(string id, string team, bool isCrawl, string url, int total, DateTimeOffset createdAt, string? optionsJson)
{
    public string Id { get; } = id;

    public string Team { get; } = team;

    public bool IsCrawl { get; } = isCrawl;

    public string Url { get; } = url;

    public int Total { get; } = total;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string? OptionsJson { get; } = optionsJson;

    /// <summary>Changed under a lock on the job, so a cancel and a control call never interleave.</summary>
    public EmulatedJobStatus Status { get; set; }

    /// <summary>A job that reached an end by itself (its pages scraped or failed): the newer cloud refuses to cancel it.</summary>
    public bool HasFinished => Status is EmulatedJobStatus.Completed or EmulatedJobStatus.Failed;
}
