namespace Firecrawl.Client;

/// <summary>
/// What a bulk cancel did, job by job. A partial failure is data, not one exception: retry exactly the jobs in
/// <see cref="Jobs"/> that were not <see cref="JobCancellation.Stopped"/>.
/// </summary>
public sealed class BulkCancelResult
{
    /// <summary>Creates a report; the counts are derived from <paramref name="jobs"/>.</summary>
    /// <param name="jobs">How each job ended, in the order they ended.</param>
    /// <param name="interrupted">Whether the caller stopped the bulk cancel before every job was handled.</param>
    public BulkCancelResult(IReadOnlyList<JobCancellation> jobs, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        Jobs = jobs;
        Interrupted = interrupted;
        var tally = default(OutcomeTally);
        foreach (JobCancellation job in jobs)
        {
            tally.Add(job);
        }

        Cancelled = tally.Cancelled;
        AlreadyCompleted = tally.AlreadyCompleted;
        Failed = tally.Failed;
        NotSettled = tally.NotSettled;
        CreditsUsed = tally.CreditsKnown ? tally.CreditsUsed : null;
    }

    /// <summary>How each job ended, in the order they ended; each distinct id once.</summary>
    public IReadOnlyList<JobCancellation> Jobs { get; }

    /// <summary>Jobs the server confirmed cancelled.</summary>
    public int Cancelled { get; }

    /// <summary>Jobs that had already completed.</summary>
    public int AlreadyCompleted { get; }

    /// <summary>Jobs that could not be stopped.</summary>
    public int Failed { get; }

    /// <summary>Jobs that were waited for and did not settle in time (see <see cref="BulkCancelOptions.WaitUntil"/>).</summary>
    public int NotSettled { get; }

    /// <summary>
    /// The credits the jobs that were waited for came to, added up from their last status; <see langword="null"/> when no
    /// job was waited for or the server named none (a self-hosted server without accounts).
    /// </summary>
    public long? CreditsUsed { get; }

    /// <summary>
    /// Whether the caller's token stopped the bulk cancel: no new cancel was sent after that, and ids not yet read were
    /// never handled.
    /// </summary>
    public bool Interrupted { get; }

    /// <summary>Whether every job given is no longer running: nothing failed and nothing was left unhandled.</summary>
    public bool AllStopped => Failed == 0 && !Interrupted;
}
