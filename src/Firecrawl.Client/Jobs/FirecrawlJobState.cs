namespace Firecrawl.Client;

/// <summary>Where a job stands, read from its status, in the same words for every kind of job.</summary>
public enum FirecrawlJobState
{
    /// <summary>Still working: <c>scraping</c> (crawls, batch scrapes) or <c>processing</c> (agent jobs).</summary>
    Running = 0,

    /// <summary>Finished by itself.</summary>
    Completed = 1,

    /// <summary>Cancelled. Pages that were being scraped when the cancel came may still complete, and be billed.</summary>
    Cancelled = 2,

    /// <summary>Ended by a failure of its own.</summary>
    Failed = 3,
}
