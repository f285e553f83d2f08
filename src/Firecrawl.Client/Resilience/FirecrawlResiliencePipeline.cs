using System.Net;
using Polly;
using Polly.Retry;

namespace Firecrawl.Client;

/// <summary>
/// Retry around each attempt (which waits at the shared rate-limit gate, then runs under its
/// <see cref="AttemptDeadline"/>), under a total time
/// budget: the stack Microsoft.Extensions.Http.Resilience uses, but with retries kept on for DELETE, because cancel
/// is idempotent on the Firecrawl server. The budget is enforced by one timer per attempt (the shorter of the attempt
/// limit and the time left) and by capping every wait at the time left, rather than by two stacked timeout
/// strategies that would cost two timers on every call.
/// </summary>
internal static class FirecrawlResiliencePipeline
{
    internal static readonly ResiliencePropertyKey<long> StartTimestamp = new("Firecrawl.StartTimestamp");
    internal static readonly ResiliencePropertyKey<TimeSpan?> ServerHint = new("Firecrawl.ServerHint");
    internal static readonly ResiliencePropertyKey<string> ServerHintSource = new("Firecrawl.ServerHintSource");
    internal static readonly ResiliencePropertyKey<int> Retries = new("Firecrawl.Retries");

    /// <summary>Set when the retry path starts, so the retry log can name the request.</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> Request = new("Firecrawl.Request");

    public static ResiliencePipeline<HttpResponseMessage> Create(FirecrawlClientSettings settings)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "Firecrawl.Client",
            TimeProvider = settings.TimeProvider,
        };

        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = settings.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, settings)),

                // A server hint replaces the back-off. Either way the wait never runs past the call's budget.
                DelayGenerator = args => new ValueTask<TimeSpan?>(NextDelay(args.AttemptNumber, args.Context, settings)),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(Retries, args.AttemptNumber + 1);
                    LogRetry(args, settings);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Exponential back-off with jitter: the n-th retry waits between half and all of <c>base * 2^n</c>, capped at
    /// <see cref="FirecrawlClientOptions.RetryMaxDelay"/>; a server hint replaces it. Capped at the time left.
    /// </summary>
    internal static TimeSpan NextDelay(int attemptNumber, ResilienceContext context, FirecrawlClientSettings settings)
    {
        TimeSpan delay;
        if (context.Properties.TryGetValue(ServerHint, out TimeSpan? hint) && hint is { } wait)
        {
            delay = wait;
        }
        else
        {
            double exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
            double capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
            delay = TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
        }

        TimeSpan left = RemainingBudget(context, settings);
        return delay < left ? delay : left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>
    /// Transient: a transport failure, an attempt timeout, 408, 429, 500, 502, 503 or 504. Never 4xx answers that a
    /// retry cannot change. A server hint is honoured only if it fits both the hint cap and the time left.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, FirecrawlClientSettings settings)
    {
        if (outcome.Exception is { } exception)
        {
            context.Properties.Set(ServerHint, null);
            return exception is HttpRequestException or IOException or AttemptTimeoutException && RemainingBudget(context, settings) > TimeSpan.Zero;
        }

        HttpResponseMessage response = outcome.Result!;
        if (!IsTransient(response.StatusCode))
        {
            return false;
        }

        context.Properties.Set(ServerHint, null);
        if (RemainingBudget(context, settings) <= TimeSpan.Zero)
        {
            return false;
        }

        TimeSpan? hint = RetryHint.FromResponse(response, settings.TimeProvider, out string source);
        if (hint is not { } wait)
        {
            return true;
        }

        if (wait > settings.MaxRetryAfter || wait > RemainingBudget(context, settings))
        {
            // Sleeping past the cap or the budget would only fail later; the caller gets the hint to act on now.
            return false;
        }

        context.Properties.Set(ServerHint, wait);
        context.Properties.Set(ServerHintSource, source);
        return true;
    }

    private static void LogRetry(OnRetryArguments<HttpResponseMessage> args, FirecrawlClientSettings settings)
    {
        if (!settings.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning))
        {
            return;
        }

        string failure = args.Outcome.Exception is { } exception
            ? $"{exception.GetType().Name}: {exception.Message}"
            : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
        string source = args.Context.Properties.TryGetValue(ServerHint, out TimeSpan? hint) && hint is not null
            && args.Context.Properties.TryGetValue(ServerHintSource, out string? from)
            ? from
            : RetryHint.FromBackoff;
        string path = args.Context.Properties.TryGetValue(Request, out HttpRequestMessage? request)
            ? request.RequestUri?.AbsolutePath ?? "?"
            : "?";
        FirecrawlLog.RetryScheduled(settings.Logger, args.AttemptNumber + 1, path, failure, args.RetryDelay.TotalMilliseconds, source);
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    internal static TimeSpan RemainingBudget(ResilienceContext context, FirecrawlClientSettings settings) =>
        context.Properties.TryGetValue(StartTimestamp, out long start) ? RemainingBudget(start, settings) : TimeSpan.MaxValue;

    internal static TimeSpan RemainingBudget(long started, FirecrawlClientSettings settings) =>
        settings.TotalTimeout == Timeout.InfiniteTimeSpan
            ? TimeSpan.MaxValue
            : settings.TotalTimeout - settings.TimeProvider.GetElapsedTime(started);
}
