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

    /// <summary>
    /// Finished with every page failed. The server reports it <c>completed</c>, with no data and a <c>next</c> link to
    /// the same page; a cancel answers as for <see cref="Completed"/>.
    /// </summary>
    Failed = 3,

    /// <summary>Past its time to live: the server has forgotten it, so a cancel or a status read answers 404.</summary>
    Expired = 4,
}
