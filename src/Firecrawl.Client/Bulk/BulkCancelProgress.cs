namespace Firecrawl.Client;

/// <summary>Where a bulk cancel stands.</summary>
/// <param name="Done">Jobs that have ended, in any way.</param>
/// <param name="Cancelled">Jobs the server confirmed cancelled.</param>
/// <param name="AlreadyCompleted">Jobs that had already completed.</param>
/// <param name="Failed">Jobs that could not be stopped; their <see cref="JobCancellation.Error"/> says why.</param>
/// <param name="RateLimitWait">How long new sends are held back because the server's rate limit was reached; zero when they are not.</param>
/// <param name="Last">The job that ended most recently, if any.</param>
public readonly record struct BulkCancelProgress(int Done, int Cancelled, int AlreadyCompleted, int Failed, TimeSpan RateLimitWait, JobCancellation? Last)
{
    /// <summary>
    /// Jobs stopped and still being waited for (<see cref="JobWaitUntil.Settled"/>): not yet counted in <see cref="Done"/>,
    /// whose figures count a job once its wait is over.
    /// </summary>
    public int Settling { get; init; }
}
