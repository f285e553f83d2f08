namespace Firecrawl.Client.Testing;

/// <summary>
/// The answers that differ between server builds, in one place, so a second build is a second profile rather than
/// branches in the responder.
/// </summary>
internal sealed record EmulatorProfile
{
    /// <summary>v2 refuses a non-UUID id with 400 before looking it up.</summary>
    public required bool V2ChecksUuid { get; init; }

    /// <summary>v2 wraps its bodies in <c>success</c>: <c>{"success":true,"status":"cancelled"}</c>.</summary>
    public required bool V2WrapsBodies { get; init; }

    /// <summary>v2 answers another team's job with 404 rather than 403.</summary>
    public required bool V2HidesForeignJobs { get; init; }

    /// <summary>A cancel of a completed job gets 409 "Crawl is already completed".</summary>
    public required bool ConflictOnCompletedJobs { get; init; }

    /// <summary>New job ids are UUIDv7 (the cloud's) rather than UUIDv4.</summary>
    public required bool UuidV7Ids { get; init; }

    /// <summary>A status read of an expired job says "Job expired" (the cloud keeps jobs in its database), not "Job not found".</summary>
    public required bool SaysJobExpired { get; init; }

    /// <summary>
    /// The error handler's exception ids are Sentry's event ids (32 hex digits), as on the cloud, rather than the UUIDv4 a
    /// server without Sentry makes (<c>res.sentry ?? uuidv4()</c>).
    /// </summary>
    public required bool SentryExceptionIds { get; init; }

    /// <summary>Agent jobs exist (<c>/v2/agent/{id}</c>, since December 2025).</summary>
    public required bool HasAgentJobs { get; init; }

    /// <summary>When a status answer links <c>next</c>.</summary>
    public required NextLinks Next { get; init; }

    /// <summary>A second cancel of a job the first already cancelled answers 500 "Failed to cancel crawl" (the FoundationDB queue).</summary>
    public required bool RepeatCancelFails { get; init; }

    /// <summary>A new exception id, in this build's form.</summary>
    public string ExceptionId() => SentryExceptionIds ? Guid.NewGuid().ToString("N") : Guid.NewGuid().ToString();

    public static EmulatorProfile For(FirecrawlServerProfile profile) => profile switch
    {
        FirecrawlServerProfile.NewestCloud => For(FirecrawlServerProfile.NewerCloud) with { Next = NextLinks.WhileScraping, RepeatCancelFails = true },
        FirecrawlServerProfile.NewerCloud => new()
        {
            V2ChecksUuid = true,
            V2WrapsBodies = true,
            V2HidesForeignJobs = true,
            ConflictOnCompletedJobs = true,
            UuidV7Ids = true,
            SaysJobExpired = true,
            SentryExceptionIds = true,
            HasAgentJobs = true,
            Next = NextLinks.UnlessCompleted,
            RepeatCancelFails = false,
        },
        _ => new()
        {
            V2ChecksUuid = false,
            V2WrapsBodies = false,
            V2HidesForeignJobs = false,
            ConflictOnCompletedJobs = false,
            UuidV7Ids = false,
            SaysJobExpired = false,
            SentryExceptionIds = false,
            HasAgentJobs = false,
            Next = NextLinks.WhilePagesRemain,
            RepeatCancelFails = false,
        },
    };
}

/// <summary>When a status answer links <c>next</c>, by server build.</summary>
internal enum NextLinks
{
    /// <summary>August 2025: while <c>total</c> is more than the pages returned (a cancelled batch scrape keeps its pending page).</summary>
    WhilePagesRemain,

    /// <summary>August 2026: as above, or whenever the status is not <c>completed</c> (a cancelled job links to itself).</summary>
    UnlessCompleted,

    /// <summary>The newest: only while the job is scraping.</summary>
    WhileScraping,
}
