using System.Runtime.CompilerServices;

namespace Firecrawl.Client;

/// <summary>
/// The one owner of every attempt of a call, in three parts: <see cref="RetryRules"/> decide, <see cref="Attempt"/> runs
/// one attempt, and <see cref="RetryLoop"/> hands the attempts after the first to Polly. <see cref="RunAsync"/> runs
/// the first attempt itself and engages Polly only for an outcome the rules retry. One per client, made by its runner:
/// it depends on the client's runtime, which knows nothing of it.
/// </summary>
internal sealed class AttemptPipeline
{
    private readonly ClientRuntime _runtime;
    private RetryLoop? _retries;

    public AttemptPipeline(ClientRuntime runtime)
    {
        _runtime = runtime;
        Rules = new RetryRules(runtime);
        Attempt = new Attempt(runtime, Rules);
    }

    public RetryRules Rules { get; }

    public Attempt Attempt { get; }

    /// <summary>
    /// Made on the first retry: its type holds Polly's, so a process whose calls all succeed at once never loads Polly.
    /// Two threads racing here make two loops and one is kept; neither has built its Polly pipeline yet.
    /// </summary>
    public RetryLoop Retries
    {
        get
        {
            RetryLoop? retries = Volatile.Read(ref _retries);
            if (retries is null)
            {
                Interlocked.CompareExchange(ref _retries, new RetryLoop(_runtime, Rules, Attempt), null);
                retries = Volatile.Read(ref _retries)!;
            }

            return retries;
        }
    }

    /// <summary>
    /// Runs the call's attempts and says how they ended: with the last answer, or with what ended them without one (a
    /// failure, or a refusal to wait at a gate closed for too long), as a value, so the runner throws the caller's
    /// exception once. Only the caller's cancellation, met during the first attempt or a back-off, is thrown.
    /// </summary>
    /// <remarks>
    /// Its state machine comes from a pool: over real sockets the first attempt completes later, and a box per call
    /// for this layer would be bytes the runner's own layer already pays.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AttemptOutcome> RunAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, CancellationToken cancellationToken, CancellationToken disposal)
    {
        AttemptResponse? first = null;
        Exception? failure = null;
        try
        {
            first = await Attempt.RunAsync(operation, api, id, call, cancellationToken, disposal).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever ended an attempt the caller has cancelled is the caller's cancellation (thrown on), not a failure.
            failure = exception;
        }

        RetryDecision decision = Rules.FirstDecision(first, failure, call);
        if (decision.Refusal is { } refusal)
        {
            first?.Dispose();
            return new AttemptOutcome(refusal);
        }

        if (decision.Retry)
        {
            return await RetryAsync(operation, api, id, call, first, failure, cancellationToken, disposal).ConfigureAwait(false);
        }

        return failure is null ? new AttemptOutcome(first!) : new AttemptOutcome(failure);
    }

    /// <summary>
    /// Hands the call to the retry loop. A method of its own, never inlined, so that compiling <see cref="RunAsync"/>
    /// does not load the retry loop's type, nor Polly with it, in a process whose calls all succeed at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<AttemptOutcome> RetryAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, AttemptResponse? first, Exception? failure,
        CancellationToken cancellationToken, CancellationToken disposal) =>
        Retries.RetryAsync(operation, api, id, call, first, failure, cancellationToken, disposal);
}

/// <summary>How a call's attempts ended: the last answer, to map, or what ended them without one.</summary>
internal readonly struct AttemptOutcome
{
    public AttemptOutcome(AttemptResponse answer) => Answer = answer;

    public AttemptOutcome(Exception ended) => Ended = ended;

    /// <summary>The last attempt's answer, which the runner maps and disposes.</summary>
    public AttemptResponse? Answer { get; }

    /// <summary>What ended the attempts without an answer: a transport failure, a time limit, or a gate's refusal.</summary>
    public Exception? Ended { get; }
}
