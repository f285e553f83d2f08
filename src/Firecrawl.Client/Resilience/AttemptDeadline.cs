namespace Firecrawl.Client;

/// <summary>
/// The time limit of one attempt: the shorter of <see cref="FirecrawlClientOptions.AttemptTimeout"/> and what is
/// left of <see cref="FirecrawlClientOptions.TotalTimeout"/>, as one timer linked to the caller's token. The timer's
/// source is reused per thread (after a successful reset), as Polly's own timeout pool does, so a call does not
/// allocate one.
/// </summary>
internal struct AttemptDeadline : IDisposable
{
    [ThreadStatic]
    private static CancellationTokenSource? t_cached;

    private readonly FirecrawlClientSettings _settings;
    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _link;
    private readonly bool _limitIsTotal;
    private readonly TimeSpan _limit;

    private AttemptDeadline(FirecrawlClientSettings settings, CancellationTokenSource? source, CancellationTokenRegistration link, bool limitIsTotal, TimeSpan limit, CancellationToken token)
    {
        _settings = settings;
        _source = source;
        _link = link;
        _limitIsTotal = limitIsTotal;
        _limit = limit;
        Token = token;
    }

    /// <summary>The token an attempt runs under: cancelled by the caller or by the deadline.</summary>
    public CancellationToken Token { get; }

    public static AttemptDeadline Start(long started, FirecrawlClientSettings settings, CancellationToken outer)
    {
        TimeSpan left = FirecrawlResiliencePipeline.RemainingBudget(started, settings);
        if (left <= TimeSpan.Zero)
        {
            // The budget ran out during a wait: report it as the total timeout it is.
            throw new TotalTimeoutException(settings.TotalTimeout);
        }

        bool attemptIsShorter = settings.AttemptTimeout != Timeout.InfiniteTimeSpan && settings.AttemptTimeout < left;
        TimeSpan limit = attemptIsShorter ? settings.AttemptTimeout : left;
        if (limit == TimeSpan.MaxValue)
        {
            return new AttemptDeadline(settings, null, default, false, limit, outer);
        }

        CancellationTokenSource source = Rent(settings.TimeProvider);
        source.CancelAfter(limit);
        CancellationTokenRegistration link = outer.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        return new AttemptDeadline(settings, source, link, !attemptIsShorter, limit, source.Token);
    }

    /// <summary>The timeout to throw instead of <paramref name="exception"/>, when it was this deadline that fired.</summary>
    public readonly Exception? Expired(Exception exception, CancellationToken outer)
    {
        if (_source is null || !_source.IsCancellationRequested || outer.IsCancellationRequested
            || exception is not (OperationCanceledException or HttpRequestException or IOException))
        {
            return null;
        }

        return _limitIsTotal ? new TotalTimeoutException(_settings.TotalTimeout, exception) : new AttemptTimeoutException(_limit, exception);
    }

    public readonly void Dispose()
    {
        if (_source is null)
        {
            return;
        }

        _link.Dispose();
        if (ReferenceEquals(_settings.TimeProvider, TimeProvider.System) && _source.TryReset())
        {
            t_cached = _source;
        }
        else
        {
            _source.Dispose();
        }
    }

    private static CancellationTokenSource Rent(TimeProvider time)
    {
        if (!ReferenceEquals(time, TimeProvider.System))
        {
            // A fake clock needs a source whose timer it drives; tests are not the hot path.
            return new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }

        CancellationTokenSource? cached = t_cached;
        t_cached = null;
        return cached ?? new CancellationTokenSource();
    }
}

/// <summary>One attempt ran out of <see cref="FirecrawlClientOptions.AttemptTimeout"/>; the attempt is retried.</summary>
internal sealed class AttemptTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException($"The attempt did not finish within {limit.TotalSeconds:0.###} s.", inner)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The call ran out of <see cref="FirecrawlClientOptions.TotalTimeout"/>; nothing is retried after it.</summary>
internal sealed class TotalTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException($"The call did not finish within {limit.TotalSeconds:0.###} s.", inner)
{
    public TimeSpan Limit { get; } = limit;
}
