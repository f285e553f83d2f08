using System.Globalization;
using Polly;

namespace Firecrawl.Client;

/// <summary>
/// The step before each attempt: refuse it if the call's budget is spent, and wait at the shared rate-limit gate if
/// another call heard a 429. It sits inside the retry and outside the attempt's time limit, so a gate wait is not
/// counted against <see cref="FirecrawlClientOptions.AttemptTimeout"/>.
/// </summary>
internal sealed class AttemptAdmission(ClientRuntime runtime) : ResilienceStrategy<AttemptResponse>
{
    protected override ValueTask<Outcome<AttemptResponse>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<AttemptResponse>>> callback, ResilienceContext context, TState state)
    {
        TimeSpan left = runtime.RemainingBudget(CallState.Of(context).Started);
        if (left <= TimeSpan.Zero)
        {
            // The budget ran out during a wait: report it as the total timeout it is.
            return Outcome.FromExceptionAsValueTask<AttemptResponse>(new TotalTimeoutException(runtime.Configuration.TotalTimeout));
        }

        TimeSpan wait = runtime.Gate.RemainingWait();
        if (wait <= TimeSpan.Zero)
        {
            return callback(context, state);
        }

        if (wait > runtime.Configuration.MaxRetryAfter || wait > left)
        {
            var error = new FirecrawlError
            {
                Message = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Firecrawl rate-limited this client, and its hint holds every call back for {wait.TotalSeconds:0.###} s more, longer than this call may wait (see MaxRetryAfter and TotalTimeout)."),
            };

            // No request was sent, so the message says what the gate did rather than what a server answered.
            return Outcome.FromExceptionAsValueTask<AttemptResponse>(new FirecrawlRateLimitException(error, wait, error.Message, innerException: null));
        }

        return WaitThenRunAsync(wait, callback, context, state);
    }

    private async ValueTask<Outcome<AttemptResponse>> WaitThenRunAsync<TState>(
        TimeSpan wait, Func<ResilienceContext, TState, ValueTask<Outcome<AttemptResponse>>> callback, ResilienceContext context, TState state)
    {
        FirecrawlLog.RateLimitGateWait(runtime.Logger, wait.TotalMilliseconds);
        try
        {
            await Task.Delay(wait, runtime.Configuration.TimeProvider, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled)
        {
            return Outcome.FromException<AttemptResponse>(cancelled);
        }

        return await callback(context, state).ConfigureAwait(false);
    }
}

/// <summary>Registers <see cref="AttemptAdmission"/> with Polly's builder, which asks every strategy for options.</summary>
internal sealed class AttemptAdmissionOptions : ResilienceStrategyOptions
{
    public AttemptAdmissionOptions() => Name = "Admission";
}

/// <summary>The call ran out of <see cref="FirecrawlClientOptions.TotalTimeout"/>; nothing is retried after it.</summary>
internal sealed class TotalTimeoutException(TimeSpan limit, Exception? inner = null)
    : TimeoutException($"The call did not finish within {limit.TotalSeconds:0.###} s.", inner)
{
    public TimeSpan Limit { get; } = limit;
}
