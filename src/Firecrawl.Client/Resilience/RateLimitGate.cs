using System.Globalization;

namespace Firecrawl.Client;

/// <summary>
/// Firecrawl's rate limit is per team, so when one call hears "retry after Ns", every other call of the same client
/// would hear it too. The gate remembers the latest such hint and holds back new attempts until it passes, instead of
/// letting each call hammer the server into more 429s. A wait that would not fit a call's budget (or
/// <see cref="FirecrawlClientOptions.MaxRetryAfter"/>) fails that call at once instead.
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

    /// <summary>Waits until the gate opens; completes at once (and allocates nothing) when it is open.</summary>
    public ValueTask WaitAsync(long started, FirecrawlClientSettings settings, CancellationToken cancellationToken)
    {
        TimeSpan wait = RemainingWait();
        return wait <= TimeSpan.Zero ? default : WaitSlowAsync(wait, started, settings, cancellationToken);
    }

    /// <summary>Closes the gate when a 429 carries a wait hint.</summary>
    public void Observe(HttpResponseMessage response, FirecrawlClientSettings settings)
    {
        if (RetryHint.FromResponse(response, settings.TimeProvider) is { } hint)
        {
            CloseFor(hint);
        }
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

    private async ValueTask WaitSlowAsync(TimeSpan wait, long started, FirecrawlClientSettings settings, CancellationToken cancellationToken)
    {
        if (wait > settings.MaxRetryAfter || wait > FirecrawlResiliencePipeline.RemainingBudget(started, settings))
        {
            var error = new FirecrawlError
            {
                Message = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Firecrawl rate-limited this client, and its hint holds every call back for {wait.TotalSeconds:0.###} s more, longer than this call may wait (see MaxRetryAfter and TotalTimeout)."),
            };

            // No request was sent, so the message says what the gate did rather than what a server answered.
            throw new FirecrawlRateLimitException(error, wait, error.Message, innerException: null);
        }

        FirecrawlLog.RateLimitGateWait(settings.Logger, wait.TotalMilliseconds);
        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }
}
