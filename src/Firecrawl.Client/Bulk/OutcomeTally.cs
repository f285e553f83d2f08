namespace Firecrawl.Client;

/// <summary>
/// Counts how jobs ended, in one place for the running progress and the final report, so the two can never disagree
/// about what counts as failed (anything without an outcome: an error, an invalid id, an interrupted call).
/// </summary>
internal struct OutcomeTally
{
    public int Cancelled { get; private set; }

    public int AlreadyCompleted { get; private set; }

    public int Failed { get; private set; }

    public int NotSettled { get; private set; }

    /// <summary>Jobs waited for that settled.</summary>
    public int Settled { get; private set; }

    /// <summary>Jobs counted, however they ended.</summary>
    public int Count { get; private set; }

    public long CreditsUsed { get; private set; }

    /// <summary>Whether any settled job named its credits.</summary>
    public bool CreditsKnown { get; private set; }

    public void Add(JobCancellation job)
    {
        Add(job.Outcome);
        if (job.Settlement is { } settlement)
        {
            NotSettled += settlement.Settled ? 0 : 1;
            Settled += settlement.Settled ? 1 : 0;
            if (settlement.CreditsUsed is { } credits)
            {
                CreditsUsed += credits;
                CreditsKnown = true;
            }
        }
    }

    public void Add(CancelOutcome? outcome)
    {
        Count++;
        switch (outcome)
        {
            case CancelOutcome.Cancelled:
                Cancelled++;
                break;
            case CancelOutcome.AlreadyCompleted:
                AlreadyCompleted++;
                break;
            default:
                Failed++;
                break;
        }
    }
}
