namespace Firecrawl.Client.Testing;

/// <summary>Which Firecrawl server build the emulator answers like.</summary>
public enum FirecrawlServerProfile
{
    /// <summary>
    /// The self-hosted open-source server of August 2025, the build self-hosters run, reproduced from a recording on
    /// the wire: v1 and v2 answer alike, a completed job's cancel answers 200 <c>{"status":"cancelled"}</c>, another
    /// team's job is 403 on both versions, and ids are UUIDv4. It has no agent jobs: their routes are Express's 404.
    /// </summary>
    SelfHosted2025 = 0,

    /// <summary>
    /// Newer cloud servers (August 2026), read from later server code: v2 refuses a non-UUID id with 400, wraps its
    /// bodies in <c>success</c> and answers another team's job with 404; a cancel of a completed job is 409 "Crawl is
    /// already completed"; a status that is not <c>completed</c> always carries a <c>next</c> link (for a cancelled job
    /// without pages, to itself); ids are UUIDv7; agent jobs exist (<c>/v2/agent/{id}</c>).
    /// </summary>
    NewerCloud = 1,

    /// <summary>
    /// The newest server, on its FoundationDB queue: as <see cref="NewerCloud"/>, except that a second cancel of a job the
    /// first already cancelled answers 500 "Failed to cancel crawl", and a status carries <c>next</c> only while the job
    /// is scraping.
    /// </summary>
    NewestCloud = 2,
}
