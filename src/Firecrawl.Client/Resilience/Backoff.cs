namespace Firecrawl.Client;

/// <summary>
/// The client's own wait between attempts when the server named none: exponential with jitter. Pure, so a test can
/// fix the random number and assert the exact wait.
/// </summary>
internal static class Backoff
{
    /// <summary>
    /// Retry <paramref name="retry"/> (0 for the first retry) waits between half and all of
    /// <c>baseDelay * 2^retry</c>, capped at <paramref name="maxDelay"/>; <paramref name="random"/> in [0, 1) picks
    /// where in that range.
    /// </summary>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        // 2^30 of any base past a millisecond is already beyond the 24-hour cap, so larger exponents change nothing.
        double exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        double capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (random * 0.5)));
    }
}
