namespace Firecrawl.Client.Testing;

/// <summary>The state of a job held by the emulator.</summary>
public enum EmulatedJobStatus
{
    /// <summary>Running: a cancel stops it.</summary>
    Scraping = 0,

    /// <summary>Finished: a cancel answers 200, or 409 under <see cref="FirecrawlServerProfile.NewerCloud"/>.</summary>
    Completed = 1,

    /// <summary>Cancelled: a second cancel answers like the first.</summary>
    Cancelled = 2,
}
