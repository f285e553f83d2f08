namespace Firecrawl.Client;

/// <summary>How an attempt that entered the gate ended, as <see cref="FirecrawlRateLimitGate.LeaveAsync"/> hears it.</summary>
public readonly record struct FirecrawlGateOutcome
{
    /// <summary>Whether the server answered at all (any status). A request that got no answer may not have been counted.</summary>
    public bool Answered { get; init; }

    /// <summary>Whether it answered 429.</summary>
    public bool RateLimited { get; init; }

    /// <summary>
    /// How long attempts should now be held back: the wait the server named, as the client will sleep it (padded, since
    /// Firecrawl rounds its hint). Null when the answer named no wait.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The wait exactly as the server named it, before padding: when its window reopens, to the second.</summary>
    public TimeSpan? NamedWait { get; init; }

    /// <summary>"Consumed (req/min): N" from Firecrawl's 429: how many requests the window has taken, refused ones included.</summary>
    public int? Consumed { get; init; }
}
