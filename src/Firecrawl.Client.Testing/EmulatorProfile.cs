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

    /// <summary>A new exception id, in this build's form.</summary>
    public string ExceptionId() => SentryExceptionIds ? Guid.NewGuid().ToString("N") : Guid.NewGuid().ToString();

    public static EmulatorProfile For(FirecrawlServerProfile profile) => profile switch
    {
        FirecrawlServerProfile.NewerCloud => new()
        {
            V2ChecksUuid = true,
            V2WrapsBodies = true,
            V2HidesForeignJobs = true,
            ConflictOnCompletedJobs = true,
            UuidV7Ids = true,
            SaysJobExpired = true,
            SentryExceptionIds = true,
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
        },
    };
}
