using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Firecrawl.Client;

/// <summary>
/// Total timeout, then retry, then the shared rate-limit gate, then attempt timeout: the stack Microsoft.Extensions.Http.Resilience uses, but with
/// retries kept on for DELETE, because cancel is idempotent on the Firecrawl server.
/// </summary>
internal static class FirecrawlResiliencePipeline
{
    internal static readonly ResiliencePropertyKey<long> StartTimestamp = new("Firecrawl.StartTimestamp");
    internal static readonly ResiliencePropertyKey<TimeSpan?> ServerHint = new("Firecrawl.ServerHint");
    internal static readonly ResiliencePropertyKey<string> ServerHintSource = new("Firecrawl.ServerHintSource");
    internal static readonly ResiliencePropertyKey<int> Retries = new("Firecrawl.Retries");

    /// <summary>Set only while warnings are logged, so the retry log can name the request.</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> Request = new("Firecrawl.Request");

    public static ResiliencePipeline<HttpResponseMessage> Create(FirecrawlClientSettings settings)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "Firecrawl.Client",
            TimeProvider = settings.TimeProvider,
        };

        if (settings.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = settings.TotalTimeout });
        }

        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, settings)),

                // A server hint replaces the back-off; without one, Polly's jittered exponential back-off applies.
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Context.Properties.TryGetValue(ServerHint, out TimeSpan? hint) ? hint : null),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(Retries, args.AttemptNumber + 1);
                    LogRetry(args, settings);
                    return default;
                },
            });
        }

        builder.AddStrategy(_ => new RateLimitGateStrategy(settings));

        if (settings.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = settings.AttemptTimeout });
        }

        return builder.Build();
    }

    /// <summary>
    /// Transient: a transport failure, an attempt timeout, 408, 429, 500, 502, 503 or 504. Never 4xx answers that a
    /// retry cannot change. A server hint is honoured only if it fits both the hint cap and the time left.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, FirecrawlClientSettings settings)
    {
        context.Properties.Set(ServerHint, null);
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or IOException or TimeoutRejectedException;
        }

        HttpResponseMessage response = outcome.Result!;
        if (!IsTransient(response.StatusCode))
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

    internal static TimeSpan RemainingBudget(ResilienceContext context, FirecrawlClientSettings settings)
    {
        if (settings.TotalTimeout == Timeout.InfiniteTimeSpan || !context.Properties.TryGetValue(StartTimestamp, out long start))
        {
            return TimeSpan.MaxValue;
        }

        return settings.TotalTimeout - settings.TimeProvider.GetElapsedTime(start);
    }
}
