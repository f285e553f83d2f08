using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Firecrawl.Client;

/// <summary>
/// The attempts after the first: Polly's retry strategy, with <see cref="RetryRules"/> as its predicate and delays, and
/// the retry log event. Retries stay on for DELETE: cancel is idempotent on the server.
/// </summary>
/// <remarks>
/// Most calls succeed at once, so the first attempt runs before Polly is engaged; when its outcome is one the rules
/// would retry, Polly takes over and its first execution hands back that outcome, so it classifies, delays and logs it
/// like any other. <c>docs/performance.md</c> has the measurement that keeps this: Polly on every attempt cost 36 %
/// more time per in-memory call.
/// </remarks>
internal sealed class RetryLoop(ClientRuntime runtime, RetryRules rules, Attempt attempt)
{
    /// <summary>Where the call's <see cref="CallState"/> travels in Polly's context.</summary>
    private static readonly ResiliencePropertyKey<CallState> CallKey = new("Firecrawl.Call");

    /// <summary>The operation and job of the call, for what a retry's wait says it is for; set on the retry path only.</summary>
    private static readonly ResiliencePropertyKey<(FirecrawlOperation Operation, string Id)> WhatKey = new("Firecrawl.What");

    private readonly ClientRuntime _runtime = runtime;
    private readonly RetryRules _rules = rules;
    private readonly Attempt _attempt = attempt;

    // Built on the first retry, not with the client: most calls never retry, and building a Polly pipeline costs a
    // fresh process about 16 ms of JIT compilation (docs/performance.md).
    private ResiliencePipeline<DecidedAttempt>? _pipeline;

    /// <summary>Whether the retry pipeline has been built, which happens on the first retry.</summary>
    internal bool RetryPipelineBuilt => Volatile.Read(ref _pipeline) is not null;

    /// <summary>The retry pipeline; two threads racing here build two identical pipelines and one of them is kept.</summary>
    private ResiliencePipeline<DecidedAttempt> RetryPipeline
    {
        get
        {
            ResiliencePipeline<DecidedAttempt>? pipeline = Volatile.Read(ref _pipeline);
            if (pipeline is null)
            {
                pipeline = BuildRetryPipeline();
                Interlocked.CompareExchange(ref _pipeline, pipeline, null);
            }

            return pipeline;
        }
    }

    private ResiliencePipeline<DecidedAttempt> BuildRetryPipeline()
    {
        ClientConfiguration configuration = _runtime.Configuration;
        var builder = new ResiliencePipelineBuilder<DecidedAttempt> { Name = "Firecrawl.Client", TimeProvider = configuration.TimeProvider };
        if (configuration.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<DecidedAttempt>
            {
                Name = "Retry",
                MaxRetryAttempts = configuration.MaxRetries,
                // Each execution returns its outcome with the rules' decision already made (DecidedAttempt), so Polly
                // reads the decision rather than asking again; an exception here is Polly's own (a cancelled delay).
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is { Decision.Retry: true }),
                DelayGenerator = args => new ValueTask<TimeSpan?>(_rules.NextDelay(args.AttemptNumber, args.Outcome.Result!.Response, args.Outcome.Result.Failure, CallOf(args.Context))),
                OnRetry = args =>
                {
                    CallState call = CallOf(args.Context);
                    call.Retries = args.AttemptNumber + 1;
                    LogRetry(args, call);
                    TellWaiting(args, args.Context.Properties.GetValue(WhatKey, default));
                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// The attempts after the first: Polly's retry engine, whose first execution hands back the first outcome (with the
    /// decision to retry it) so that it delays and logs it like any other. Every execution returns its outcome and the
    /// rules' decision as one value; the last one is resolved here, in one place, into the call's outcome: a refusal or a
    /// failure ends it, an answer is returned to be mapped.
    /// </summary>
    public async ValueTask<AttemptOutcome> RetryAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, AttemptResponse? first, Exception? failure,
        CancellationToken cancellationToken, CancellationToken disposal)
    {
        // The retry path waits; a disposed client must end those waits, so its token joins the caller's here, off the
        // success path.
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
        ResilienceContext context = ResilienceContextPool.Shared.Get(waits.Token);
        context.Properties.Set(CallKey, call);
        context.Properties.Set(WhatKey, (operation, id));
        try
        {
            DecidedAttempt last = await RetryPipeline.ExecuteAsync(
                static (ctx, s) => s.First.TryReplay(out DecidedAttempt? replayed)
                    ? new ValueTask<DecidedAttempt>(replayed)
                    : s.Self.AttemptAsync(s.Operation, s.Api, s.Id, CallOf(ctx), ctx.CancellationToken),
                context,
                (Self: this, Operation: operation, Api: api, Id: id, First: new FirstOutcome(new DecidedAttempt(first, failure, RetryDecision.Again)))).ConfigureAwait(false);
            if (last.Decision.Refusal is { } refused)
            {
                // The retry the last outcome wanted would meet a gate closed for too long: the refusal says more.
                last.Dispose();
                return new AttemptOutcome(refused);
            }

            return last.Failure is { } lastFailure ? new AttemptOutcome(lastFailure) : new AttemptOutcome(last.Response!);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt after the first, and the rules' decision about its outcome, as one value.</summary>
    private async ValueTask<DecidedAttempt> AttemptAsync(FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, CancellationToken cancellationToken)
    {
        AttemptResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await _attempt.RunAsync(operation, api, id, call, cancellationToken, disposal: default).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        return new DecidedAttempt(response, failure, _rules.Decide(response, failure, call));
    }

    private static CallState CallOf(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);

    private void LogRetry(OnRetryArguments<DecidedAttempt> args, CallState call)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        FirecrawlLog.RetryScheduled(logger, args.AttemptNumber + 1, call.Path, Failure(args.Outcome.Result!), args.RetryDelay.TotalMilliseconds, Source(args.Outcome.Result!));
    }

    /// <summary>Tells the options' observer of the retry's wait, typed: what it waits for, which retry, after what.</summary>
    private void TellWaiting(OnRetryArguments<DecidedAttempt> args, (FirecrawlOperation Operation, string Id) what)
    {
        if (!_runtime.ObservesWaits)
        {
            return;
        }

        FirecrawlWaitReason reason = Source(args.Outcome.Result!) switch
        {
            RetryHint.FromMessageText => FirecrawlWaitReason.RateLimit,
            RetryHint.FromHeader => FirecrawlWaitReason.RetryAfter,
            _ => FirecrawlWaitReason.Backoff,
        };
        _runtime.Waiting(new FirecrawlWait
        {
            Reason = reason,
            Delay = args.RetryDelay,
            Operation = what.Operation.Name,
            JobId = what.Operation.TakesJobId ? what.Id : null,
            Retry = args.AttemptNumber + 1,
            Failure = Failure(args.Outcome.Result!),
        });
    }

    /// <summary>What failed, as the retry log and the wait observer say it, with secrets masked.</summary>
    private string Failure(DecidedAttempt outcome) => outcome.Failure is { } exception
        ? $"{exception.GetType().Name}: {ServerText.Message(exception, _runtime.Redactor)}"
        : $"HTTP {(int)outcome.Response!.StatusCode}";

    /// <summary>Where the retry's wait came from: the server's header, its 429 text, or the back-off.</summary>
    private static string Source(DecidedAttempt outcome) =>
        outcome.Failure is null && outcome.Response!.Hint is { } hint ? hint.Source : RetryHint.FromBackoff;
}

/// <summary>
/// One attempt's outcome (an answer or a failure) and what the rules decided about it, as one value: Polly reads the
/// decision, and the loop's owner resolves the last one. Disposing it disposes the answer, as Polly does for an attempt it
/// retries.
/// </summary>
internal sealed record DecidedAttempt(AttemptResponse? Response, Exception? Failure, RetryDecision Decision) : IDisposable
{
    public void Dispose() => Response?.Dispose();
}

/// <summary>The first attempt's outcome, handed to Polly exactly once when it takes over.</summary>
internal sealed class FirstOutcome(DecidedAttempt first)
{
    private bool _replayed;

    public bool TryReplay([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DecidedAttempt? outcome)
    {
        if (_replayed)
        {
            outcome = null;
            return false;
        }

        _replayed = true;
        outcome = first;
        return true;
    }
}
