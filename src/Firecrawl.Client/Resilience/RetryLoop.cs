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
    private ResiliencePipeline<AttemptResponse>? _pipeline;

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
                ShouldHandle = args => new ValueTask<bool>(_rules.ShouldRetry(args.Outcome, CallOf(args.Context))),
                DelayGenerator = args => new ValueTask<TimeSpan?>(_rules.NextDelay(args.AttemptNumber, args.Outcome, CallOf(args.Context))),
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
        context.Properties.Set(CallKey, call);
        context.Properties.Set(WhatKey, (operation, id));
        try
        {
            AttemptResponse last = await RetryPipeline.ExecuteAsync(
                static (ctx, s) => s.First.TryReplay(out ValueTask<AttemptResponse> replayed)
                    ? replayed
                    : s.Self._attempt.RunAsync(s.Operation, s.Api, s.Id, CallOf(ctx), ctx.CancellationToken, disposal: default),
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

    private static CallState CallOf(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);

    private void LogRetry(OnRetryArguments<AttemptResponse> args, CallState call)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        FirecrawlLog.RetryScheduled(logger, args.AttemptNumber + 1, call.Path, Failure(args.Outcome), args.RetryDelay.TotalMilliseconds, Source(args.Outcome));
    }

    /// <summary>Tells the options' observer of the retry's wait, typed: what it waits for, which retry, after what.</summary>
    private void TellWaiting(OnRetryArguments<AttemptResponse> args, (FirecrawlOperation Operation, string Id) what)
    {
        if (!_runtime.ObservesWaits)
        {
            return;
        }

        FirecrawlWaitReason reason = Source(args.Outcome) switch
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
            Failure = Failure(args.Outcome),
        });
    }

    /// <summary>What failed, as the retry log and the wait observer say it, with secrets masked.</summary>
    private string Failure(Outcome<AttemptResponse> outcome) => outcome.Exception is { } exception
        ? $"{exception.GetType().Name}: {ServerText.Message(exception, _runtime.Redactor)}"
        : $"HTTP {(int)outcome.Result!.StatusCode}";

    /// <summary>Where the retry's wait came from: the server's header, its 429 text, or the back-off.</summary>
    private static string Source(Outcome<AttemptResponse> outcome) =>
        outcome.Exception is null && outcome.Result!.Hint is { } hint ? hint.Source : RetryHint.FromBackoff;
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

