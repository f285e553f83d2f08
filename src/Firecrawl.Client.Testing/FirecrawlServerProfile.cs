namespace Firecrawl.Client.Testing;

/// <summary>Which Firecrawl server build the emulator answers like.</summary>
public enum FirecrawlServerProfile
{
    /// <summary>
    /// The self-hosted open-source server of August 2025, the build self-hosters run, reproduced from a recording on
    /// the wire: v1 and v2 answer alike, a completed job's cancel answers 200 <c>{"status":"cancelled"}</c>, another
    /// team's job is 403 on both versions, and ids are UUIDv4.
    /// </summary>
    SelfHosted2025 = 0,

    /// <summary>
    /// Newer cloud servers, read from later server code: v2 refuses a non-UUID id with 400, wraps its bodies in
    /// <c>success</c> and answers another team's job with 404; a cancel of a completed job is 409 "Crawl is already
    /// completed" on both versions; ids are UUIDv7.
    /// </summary>
    NewerCloud = 1,
}
