namespace Firecrawl.Client;

/// <summary>
/// How a cancel ended. Both values mean the job is no longer running, which is what a caller usually wants to know.
/// </summary>
public enum CancelOutcome
{
    /// <summary>The server confirmed the cancel. Older servers also answer this for a job that had already finished.</summary>
    Cancelled = 0,

    /// <summary>The job had already completed (409 from newer servers), so there was nothing left to cancel.</summary>
    AlreadyCompleted = 1,
}
