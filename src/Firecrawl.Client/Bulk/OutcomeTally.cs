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

    public void Add(CancelOutcome? outcome)
    {
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
