using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Firecrawl.Client;

/// <summary>
/// The one owner of every attempt: retry, then admission (budget and the shared rate-limit gate), then the attempt's
/// time limit, then the send and the bounded body read. The stack Microsoft.Extensions.Http.Resilience uses, with
/// retries kept on for DELETE (cancel is idempotent on the Firecrawl server) and the total budget enforced by making
/// each attempt's limit the shorter of <see cref="FirecrawlClientOptions.AttemptTimeout"/> and the time left.
/// </summary>
internal sealed class AttemptPipeline
{
    private readonly ClientRuntime _runtime;
    private readonly ResiliencePipeline<AttemptResponse> _pipeline;

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "Polly validates strategy options by reflection; AttemptAdmissionOptions declares no members to validate, and DynamicDependency keeps what it has.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(AttemptAdmissionOptions))]
    public AttemptPipeline(ClientRuntime runtime)
    {
        _runtime = runtime;
        ClientConfiguration configuration = runtime.Configuration;
        var builder = new ResiliencePipelineBuilder<AttemptResponse> { Name = "Firecrawl.Client", TimeProvider = configuration.TimeProvider };
        if (configuration.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResponse>
            {
                Name = "Retry",
                MaxRetryAttempts = configuration.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, CallState.Of(args.Context))),
                DelayGenerator = args => new ValueTask<TimeSpan?>(NextDelay(args.AttemptNumber, args.Outcome, CallState.Of(args.Context))),
                OnRetry = args =>
                {
                    CallState call = CallState.Of(args.Context);
                    call.Retries = args.AttemptNumber + 1;
                    LogRetry(args, call);
                    return default;
                },
            });
        }

        builder.AddStrategy(_ => new AttemptAdmission(runtime), new AttemptAdmissionOptions());
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "AttemptTimeout",
            TimeoutGenerator = args => new ValueTask<TimeSpan>(AttemptLimit(CallState.Of(args.Context))),
        });
        _pipeline = builder.Build();
    }

    /// <summary>Runs the operation's attempts for one call; <paramref name="context"/> carries its <see cref="CallState"/>.</summary>
    public ValueTask<AttemptResponse> ExecuteAsync<TResult>(FirecrawlOperation<TResult> operation, IFirecrawlApi api, string id, ResilienceContext context) =>
        _pipeline.ExecuteAsync(
            static (ctx, s) => s.Self.SendAsync(s.Operation, s.Api, s.Id, ctx.CancellationToken),
            context,
            (Self: this, Operation: operation, Api: api, Id: id));

    /// <summary>
    /// Transient: a transport failure, an attempt timeout, 408, 429, 500, 502, 503 or 504, while budget is left. Never
    /// 4xx answers that a retry cannot change. A server hint is honoured only if it fits both the hint cap and the time
    /// left; otherwise the caller gets the hint at once rather than a failure later.
    /// </summary>
    internal bool ShouldRetry(Outcome<AttemptResponse> outcome, CallState call)
    {
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or IOException || (exception is TimeoutRejectedException && !call.LimitWasBudget);
        }

        AttemptResponse response = outcome.Result;
        return IsTransient(response.StatusCode)
            && (response.Hint is not { } hint || (hint.Wait <= _runtime.Configuration.MaxRetryAfter && hint.Wait <= left));
    }

    /// <summary>The server's hint when it named one, else the back-off; never longer than the budget left.</summary>
    internal TimeSpan NextDelay(int retry, Outcome<AttemptResponse> outcome, CallState call)
    {
        ClientConfiguration configuration = _runtime.Configuration;
        TimeSpan delay = outcome.Exception is null && outcome.Result.Hint is { } hint
            ? hint.Wait
            : Backoff.Delay(retry, configuration.RetryBaseDelay, configuration.RetryMaxDelay, configuration.Jitter());
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        return delay < left ? delay : left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>The shorter of the attempt limit and the budget left; which of the two it is decides retry and message.</summary>
    internal TimeSpan AttemptLimit(CallState call)
    {
        TimeSpan attempt = _runtime.Configuration.AttemptTimeout;
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        bool attemptIsShorter = attempt != Timeout.InfiniteTimeSpan && attempt < left;
        call.LimitWasBudget = !attemptIsShorter;
        TimeSpan limit = attemptIsShorter ? attempt : left;

        // Polly applies no limit for a zero, negative or infinite span: a call with neither limit runs without a timer.
        return limit == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : limit;
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private async ValueTask<AttemptResponse> SendAsync<TResult>(FirecrawlOperation<TResult> operation, IFirecrawlApi api, string id, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await operation.SendAsync(api, id, cancellationToken).ConfigureAwait(false);
        ResponseBody body;
        try
        {
            body = await ResponseBody.ReadAsync(response, operation.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        ServerHint? hint = RetryHint.Read(response, body.Span, _runtime.Configuration.TimeProvider);
        if (hint is { } wait && response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            _runtime.Gate.CloseFor(wait.Wait);
        }

        return new AttemptResponse(response, body, hint);
    }

    private void LogRetry(OnRetryArguments<AttemptResponse> args, CallState call)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        string failure = args.Outcome.Exception is { } exception
            ? $"{exception.GetType().Name}: {_runtime.Redactor.Redact(exception.Message)}"
            : $"HTTP {(int)args.Outcome.Result.StatusCode}";
        string source = args.Outcome.Exception is null && args.Outcome.Result.Hint is { } hint ? hint.Source : RetryHint.FromBackoff;
        FirecrawlLog.RetryScheduled(logger, args.AttemptNumber + 1, call.Path, failure, args.RetryDelay.TotalMilliseconds, source);
    }
}
