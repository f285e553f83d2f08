namespace Firecrawl.Client;

/// <summary>
/// Firecrawl's rate limit is per team, so when one call hears "retry after Ns", every other call of the same client
/// would hear it too. The gate remembers the latest such hint and holds back new attempts until it passes, instead of
/// letting each call hammer the server into more 429s. It runs on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>), so no wall-clock step can lock or release it.
/// </summary>
internal sealed class RateLimitGate
{
    private const long Open = long.MinValue;

    private readonly TimeProvider _time;
    private readonly TimeSpan _longestClose;
    private long _closedUntil = Open;

    /// <param name="time">The clock whose timestamps the gate keeps.</param>
    /// <param name="longestClose">
    /// The longest the gate may stay closed. It keeps the wait the server named, which may be longer than a call may
    /// wait (calls then fail at once instead), but one absurd hint must not lock a client for years.
    /// </param>
    public RateLimitGate(TimeProvider time, TimeSpan longestClose)
    {
        _time = time;
        _longestClose = longestClose;
    }

    /// <summary>How long an attempt starting now must wait; zero when the gate is open.</summary>
    public TimeSpan RemainingWait()
    {
        long until = Volatile.Read(ref _closedUntil);
        if (until == Open)
        {
            return TimeSpan.Zero;
        }

        long now = _time.GetTimestamp();
        return until > now ? _time.GetElapsedTime(now, until) : TimeSpan.Zero;
    }

    /// <summary>Closes the gate for <paramref name="wait"/> from now (at most the longest close), unless it is already closed for longer.</summary>
    public void CloseFor(TimeSpan wait)
    {
        // A zero or negative wait yields a time already past, which the loop below never stores over a later one.
        long ticks = Math.Min(wait.Ticks, _longestClose.Ticks);
        long until = _time.GetTimestamp() + (long)(ticks * ((double)_time.TimestampFrequency / TimeSpan.TicksPerSecond));
        long current = Volatile.Read(ref _closedUntil);
        while (until > current)
        {
            long seen = Interlocked.CompareExchange(ref _closedUntil, until, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
