namespace Firecrawl.Client;

/// <summary>
/// What happened to a job after its cancel: whether it went quiet (a final status, and pages completed and credits used
/// unchanged for <see cref="FirecrawlClientOptions.SettleInterval"/>), what it came to, and how long that took.
/// </summary>
public sealed record JobSettlement
{
    /// <summary>Whether the job settled before <see cref="FirecrawlClientOptions.SettleTimeout"/> ran out.</summary>
    public required bool Settled { get; init; }

    /// <summary>The last status read, the final one when <see cref="Settled"/>; <see langword="null"/> when no read succeeded.</summary>
    public FirecrawlJobStatus? Status { get; init; }

    /// <summary>Pages completed in the end (or when the wait stopped); <see langword="null"/> for agent jobs.</summary>
    public int? Completed => Status?.Completed;

    /// <summary>Credits used in the end (or when the wait stopped); <see langword="null"/> when the server did not say.</summary>
    public int? CreditsUsed => Status?.CreditsUsed;

    /// <summary>
    /// From the start of the wait (for a single cancel, the cancel's answer; in a bulk cancel, when a wait slot was free)
    /// to the status that settled it, or to the end of the wait.
    /// </summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>How many status reads the wait made.</summary>
    public required int Reads { get; init; }

    /// <summary>Why it did not settle, in a sentence; <see langword="null"/> when it did.</summary>
    public string? Reason { get; init; }
}
