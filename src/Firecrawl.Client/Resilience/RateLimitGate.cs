namespace Firecrawl.Client;

/// <summary>
/// Firecrawl's rate limit is per team, so when one call hears "retry after Ns", every other call of the same client
/// would hear it too. The gate remembers the latest such hint and holds back new attempts until it passes, instead of
/// letting each call hammer the server into more 429s.
/// </summary>
internal sealed class RateLimitGate
{
    private readonly TimeProvider _time;
    private long _closedUntilUtcTicks;

    public RateLimitGate(TimeProvider time) => _time = time;

    /// <summary>How long an attempt starting now must wait; zero when the gate is open.</summary>
    public TimeSpan RemainingWait()
    {
        long until = Volatile.Read(ref _closedUntilUtcTicks);
        if (until == 0)
        {
            return TimeSpan.Zero;
        }

        long left = until - _time.GetUtcNow().UtcTicks;
        return left > 0 ? TimeSpan.FromTicks(left) : TimeSpan.Zero;
    }

    /// <summary>Closes the gate for <paramref name="wait"/> from now, unless it is already closed for longer.</summary>
    public void CloseFor(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        long until = _time.GetUtcNow().UtcTicks + wait.Ticks;
        long current = Volatile.Read(ref _closedUntilUtcTicks);
        while (until > current)
        {
            long seen = Interlocked.CompareExchange(ref _closedUntilUtcTicks, until, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
