namespace Firecrawl.Client;

/// <summary>The answer of <see cref="FirecrawlRateLimitGate.EnterAsync"/>: go now, or ask again after a wait.</summary>
public readonly record struct FirecrawlGateEntry
{
    /// <summary>How long to wait before asking again; zero when the attempt may go now.</summary>
    public TimeSpan Wait { get; init; }

    /// <summary>Whether the attempt may go now.</summary>
    public bool Entered => Wait <= TimeSpan.Zero;

    /// <summary>What the gate wants back in <see cref="FirecrawlRateLimitGate.LeaveAsync"/>, such as where it counted the attempt.</summary>
    public int Tag { get; init; }

    /// <summary>
    /// Which part of the gate let the attempt through, for a gate made of several: a shared gate that stood in with a
    /// local one names that stand-in, so that <see cref="FirecrawlRateLimitGate.LeaveAsync"/> tells the same part how the
    /// attempt ended. <see langword="null"/> for the gate itself.
    /// </summary>
    public FirecrawlRateLimitGate? Part { get; init; }

    /// <summary>An entry that lets the attempt go.</summary>
    public static FirecrawlGateEntry Go => default;

    /// <summary>An entry that holds the attempt back.</summary>
    /// <param name="wait">How long.</param>
    /// <returns>The entry.</returns>
    public static FirecrawlGateEntry WaitFor(TimeSpan wait) => new() { Wait = wait };
}
