using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Firecrawl.Client;

/// <summary>
/// The one owner of every attempt. Each attempt is the same three steps: admission (the call's budget, then the shared
/// rate-limit gate), the attempt's deadline (the shorter of <see cref="FirecrawlClientOptions.AttemptTimeout"/> and the
/// budget left), then the send and the bounded body read. Polly's retry strategy decides whether and when to try
/// again, with the predicate and delays defined here. Retries stay on for DELETE: cancel is idempotent on the server.
/// </summary>
/// <remarks>
/// Most calls succeed at once, so the first attempt runs before Polly is engaged; when its outcome is one this class
/// would retry, Polly takes over and its first execution hands back that outcome, so it classifies, delays and logs it
/// like any other. <c>docs/performance.md</c> has the measurement that keeps this: Polly on every attempt cost 36 %
/// more time per in-memory call.
/// </remarks>
internal sealed class AttemptPipeline
{
    private readonly ClientRuntime _runtime;

    // Built on the first retry, not with the client: most calls never retry, and building a Polly pipeline costs a
    // fresh process about 16 ms of JIT compilation (docs/performance.md).
    private ResiliencePipeline<AttemptResponse>? _pipeline;

    public AttemptPipeline(ClientRuntime runtime) => _runtime = runtime;

    /// <summary>Whether the retry pipeline has been built, which happens on the first retry.</summary>
    internal bool RetryPipelineBuilt => Volatile.Read(ref _pipeline) is not null;

    /// <summary>The retry pipeline; two threads racing here build two identical pipelines and one of them is kept.</summary>
    private ResiliencePipeline<AttemptResponse> RetryPipeline
    {
        get
        {
            ResiliencePipeline<AttemptResponse>? pipeline = Volatile.Read(ref _pipeline);
            if (pipeline is null)
            {
                pipeline = BuildRetryPipeline();
                Interlocked.CompareExchange(ref _pipeline, pipeline, null);
            }

            return pipeline;
        }
    }

    private ResiliencePipeline<AttemptResponse> BuildRetryPipeline()
    {
        ClientConfiguration configuration = _runtime.Configuration;
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

        return builder.Build();
    }

    /// <summary>
    /// Whether the first attempt's outcome (an answer or a failure) is one to retry; the caller then hands it to
    /// <see cref="RetryAsync"/>. Most calls succeed at once, so this keeps Polly and every extra async layer off the
    /// success path.
    /// </summary>
    public bool WantsRetry(AttemptResponse? response, Exception? failure, CallState call) =>
        _runtime.Configuration.MaxRetries > 0
        && ShouldRetry(failure is null ? Outcome.FromResult(response!) : Outcome.FromException<AttemptResponse>(failure), call);

    /// <summary>
    /// The attempts after the first: Polly's retry engine, whose first execution hands back the first outcome so that it
    /// classifies, delays and logs it like any other.
    /// </summary>
    public async ValueTask<AttemptResponse> RetryAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, AttemptResponse? first, Exception? failure,
        CancellationToken cancellationToken, CancellationToken disposal)
    {
        // The retry path waits; a disposed client must end those waits, so its token joins the caller's here, off the
        // success path.
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
        ResilienceContext context = ResilienceContextPool.Shared.Get(waits.Token);
        context.Properties.Set(CallState.Key, call);
        try
        {
            AttemptResponse last = await RetryPipeline.ExecuteAsync(
                static (ctx, s) => s.First.TryReplay(out ValueTask<AttemptResponse> replayed)
                    ? replayed
                    : s.Self.AttemptAsync(s.Operation, s.Api, s.Id, CallState.Of(ctx), ctx.CancellationToken, disposal: default),
                context,
                (Self: this, Operation: operation, Api: api, Id: id, First: new FirstOutcome(first, failure))).ConfigureAwait(false);
            if (call.Refusal is { } refused)
            {
                last.Dispose();
                throw refused;
            }

            return last;
        }
        catch (Exception exception) when (call.Refusal is { } refused && exception != refused)
        {
            // The last attempt failed, and the retry it wanted would meet a gate closed for too long: the refusal says more.
            throw refused;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Transient: a transport failure, an attempt timeout, 408, 429, 500, 502, 503 or 504, while budget is left. Never
    /// 4xx answers, nor a transport failure that is a fact about the server or the configuration
    /// (<see cref="TransportFailure"/>): a retry cannot change them. A server hint is honoured only if it fits both the hint cap and the time
    /// left; otherwise the caller gets the hint at once rather than a failure later.
    /// </summary>
    internal bool ShouldRetry(Outcome<AttemptResponse> outcome, CallState call)
    {
        ServerHint? hint = null;
        if (outcome.Exception is { } exception)
        {
            if (exception is not (HttpRequestException or IOException or AttemptTimeoutException)
                || TransportFailure.Permanent(exception, _runtime.Configuration.BaseAddress, _runtime.Redactor) is not null)
            {
                return false;
            }
        }
        else if (!IsTransient(outcome.Result!.StatusCode))
        {
            return false;
        }
        else
        {
            hint = outcome.Result!.Hint;
        }

        TimeSpan left = _runtime.RemainingBudget(call.Started);
        // The cap applies to the wait as the server named it; the budget must hold the wait as the client sleeps it.
        if (left <= TimeSpan.Zero
            || (hint is { } wait && (wait.Named > _runtime.Configuration.MaxRetryAfter || wait.Wait > left)))
        {
            return false;
        }

        // The retry would meet the shared gate. One closed for longer than this call may wait (another call heard a long
        // hint) ends the call now, rather than after a back-off that could only lead to the same refusal.
        TimeSpan gate = _runtime.Gate.PeekWait(_runtime.Partition);
        if (gate > TimeSpan.Zero && (gate > _runtime.LongestGateWait || gate > left))
        {
            call.Refusal = GateRefusal(gate);
            return false;
        }

        return true;
    }

    /// <summary>The server's hint when it named one, else the back-off; never longer than the budget left.</summary>
    internal TimeSpan NextDelay(int retry, Outcome<AttemptResponse> outcome, CallState call)
    {
        ClientConfiguration configuration = _runtime.Configuration;
        TimeSpan delay = outcome.Exception is null && outcome.Result!.Hint is { } hint
            ? hint.Wait
            : Backoff.Delay(retry, configuration.RetryBaseDelay, configuration.RetryMaxDelay, configuration.Jitter());
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        return delay < left ? delay : left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>
    /// The limit of an attempt: the shorter of the attempt limit and the budget <paramref name="left"/>, and whether it is the
    /// budget (then running out ends the call rather than the attempt). Infinite when neither limit is set.
    /// </summary>
    internal (TimeSpan Limit, bool IsBudget) AttemptLimit(TimeSpan left)
    {
        TimeSpan attempt = _runtime.Configuration.AttemptTimeout;
        if (attempt != Timeout.InfiniteTimeSpan && attempt < left)
        {
            return (attempt, false);
        }

        return (left == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : left, true);
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// One attempt: admission, the send under its deadline, and the bounded body read, in one async method so that a
    /// call over real sockets boxes as few state machines as it can. <paramref name="disposal"/> is the client's
    /// disposal token, for the gate wait, when <paramref name="cancellationToken"/> does not already carry it.
    /// </summary>
    internal async ValueTask<AttemptResponse> AttemptAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, CancellationToken cancellationToken, CancellationToken disposal)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeSpan left = BudgetLeftOrThrow(call);
        FirecrawlRateLimitGate gate = _runtime.Gate;
        FirecrawlGateEntry entry = await gate.EnterAsync(_runtime.Partition, cancellationToken).ConfigureAwait(false);
        if (!entry.Entered)
        {
            entry = await WaitAtGateAsync(entry, call, cancellationToken, disposal).ConfigureAwait(false);
            left = BudgetLeftOrThrow(call);
        }

        (TimeSpan limit, bool isBudget) = AttemptLimit(left);

        // One timer per attempt, linked to the caller's token; none when neither limit is set.
        CancellationTokenSource? deadline = null;
        CancellationTokenRegistration link = default;
        CancellationToken token = cancellationToken;
        if (limit != Timeout.InfiniteTimeSpan)
        {
            deadline = _runtime.Deadlines.Rent(limit);
            link = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline)
                : default;
            token = deadline.Token;
        }

        HttpResponseMessage? response = null;
        FirecrawlGateOutcome outcome = default;
        try
        {
            response = await operation.SendAsync(api, id, token).ConfigureAwait(false);
            HttpContent content = response.Content;
            ResponseBody.Sink sink = ResponseBody.CreateSink(content, operation.MaxBodyBytesFor(response.StatusCode));
            try
            {
                await content.CopyToAsync(sink, token).ConfigureAwait(false);
            }
            catch (ResponseBody.Sink.FullException)
            {
                // The rest of a hostile body is never read; disposing the content drops the connection.
            }

            ResponseBody body = sink.Complete(content);

            // A success names no wait; only an error answer is searched for one.
            ServerHint? hint = response.IsSuccessStatusCode ? null : RetryHint.Read(response, body.Span, _runtime.Clock, _runtime.Configuration.Jitter());
            bool limited = response.StatusCode == HttpStatusCode.TooManyRequests;
            outcome = new FirecrawlGateOutcome
            {
                Answered = true,
                RateLimited = limited,
                RetryAfter = limited ? hint?.Wait : null,
                NamedWait = limited ? hint?.Named : null,
                Consumed = limited ? RetryHint.Consumed(body.Span) : null,
            };
            return new AttemptResponse(response, body, hint);
        }
        catch (Exception exception)
        {
            response?.Dispose();
            if (deadline is not null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && exception is OperationCanceledException or HttpRequestException or IOException)
            {
                throw isBudget
                    ? new TotalTimeoutException(_runtime.Configuration.TotalTimeout, exception)
                    : new AttemptTimeoutException(limit, exception);
            }

            throw;
        }
        finally
        {
            if (deadline is not null)
            {
                link.Dispose();
                _runtime.Deadlines.Return(deadline);
            }

            await gate.LeaveAsync(_runtime.Partition, entry, outcome, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits as long as the gate says, asking again after each wait, until it lets the attempt go. A wait longer than this
    /// call may wait (<see cref="ClientRuntime.LongestGateWait"/>, or its time left) ends the call at once instead. Kept
    /// apart from <see cref="AttemptAsync"/>, whose success path never waits.
    /// </summary>
    private async ValueTask<FirecrawlGateEntry> WaitAtGateAsync(FirecrawlGateEntry entry, CallState call, CancellationToken cancellationToken, CancellationToken disposal)
    {
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
        while (!entry.Entered)
        {
            TimeSpan left = BudgetLeftOrThrow(call);
            TimeSpan wait = entry.Wait;
            if (wait > _runtime.LongestGateWait || wait > left)
            {
                throw GateRefusal(wait);
            }

            if (wait >= LoggedGateWait)
            {
                FirecrawlLog.RateLimitGateWait(_runtime.Logger, wait.TotalMilliseconds);
            }

            await Task.Delay(wait, _runtime.Clock, waits.Token).ConfigureAwait(false);
            entry = await _runtime.Gate.EnterAsync(_runtime.Partition, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>Shorter gate waits (a gate asking again soon) are not logged, so a busy fleet does not flood the log.</summary>
    private static readonly TimeSpan LoggedGateWait = TimeSpan.FromMilliseconds(100);

    /// <summary>What is left of the call's budget; a budget that ran out during a wait is the total timeout it is.</summary>
    private TimeSpan BudgetLeftOrThrow(CallState call)
    {
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        return left > TimeSpan.Zero ? left : throw new TotalTimeoutException(_runtime.Configuration.TotalTimeout);
    }

    /// <summary>
    /// The gate holds every call back for <paramref name="wait"/> more, longer than this call may wait. No request was
    /// sent, so the message says what the gate did rather than what a server answered.
    /// </summary>
    private static FirecrawlRateLimitException GateRefusal(TimeSpan wait)
    {
        var error = new FirecrawlError
        {
            Message = string.Create(
                CultureInfo.InvariantCulture,
                $"Firecrawl rate-limited this client, and its hint holds every call back for {wait.TotalSeconds:0.###} s more, longer than this call may wait (see MaxRetryAfter and TotalTimeout); no request was sent."),
        };
        return new FirecrawlRateLimitException(error, wait, error.Message, innerException: null);
    }

    private void LogRetry(OnRetryArguments<AttemptResponse> args, CallState call)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        string failure = args.Outcome.Exception is { } exception
            ? $"{exception.GetType().Name}: {ServerText.Message(exception, _runtime.Redactor)}"
            : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
        string source = args.Outcome.Exception is null && args.Outcome.Result!.Hint is { } hint ? hint.Source : RetryHint.FromBackoff;
        FirecrawlLog.RetryScheduled(logger, args.AttemptNumber + 1, call.Path, failure, args.RetryDelay.TotalMilliseconds, source);
    }
}

/// <summary>The first attempt's outcome, handed to Polly exactly once when it takes over.</summary>
internal sealed class FirstOutcome(AttemptResponse? response, Exception? failure)
{
    private bool _replayed;

    public bool TryReplay(out ValueTask<AttemptResponse> outcome)
    {
        if (_replayed)
        {
            outcome = default;
            return false;
        }

        _replayed = true;
        outcome = failure is null ? new ValueTask<AttemptResponse>(response!) : ValueTask.FromException<AttemptResponse>(failure);
        return true;
    }
}

/// <summary>One attempt ran out of <see cref="FirecrawlClientOptions.AttemptTimeout"/>; the attempt is retried.</summary>
internal sealed class AttemptTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The attempt did not finish within {limit.TotalSeconds:0.###} s."), inner)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The call ran out of <see cref="FirecrawlClientOptions.TotalTimeout"/>; nothing is retried after it.</summary>
internal sealed class TotalTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The call did not finish within {limit.TotalSeconds:0.###} s."), inner)
{
    public TimeSpan Limit { get; } = limit;
}
