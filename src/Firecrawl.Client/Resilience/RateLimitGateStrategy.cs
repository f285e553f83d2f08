using System.Globalization;
using System.Net;
using Polly;

namespace Firecrawl.Client;

/// <summary>
/// Waits at the client's <see cref="RateLimitGate"/> before each attempt. It sits inside the retry and outside the
/// attempt timeout, so the wait counts against the call's total budget but not against one attempt's limit. A wait
/// that would not fit the budget (or <see cref="FirecrawlClientOptions.MaxRetryAfter"/>) fails at once instead.
/// </summary>
internal sealed class RateLimitGateStrategy : ResilienceStrategy<HttpResponseMessage>
{
    private readonly FirecrawlClientSettings _settings;

    public RateLimitGateStrategy(FirecrawlClientSettings settings) => _settings = settings;

    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        TimeSpan wait = _settings.RateLimitGate.RemainingWait();
        return wait <= TimeSpan.Zero ? callback(context, state) : WaitThenExecuteAsync(wait, callback, context, state);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> WaitThenExecuteAsync<TState>(
        TimeSpan wait, Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        if (wait > _settings.MaxRetryAfter || wait > FirecrawlResiliencePipeline.RemainingBudget(context, _settings))
        {
            var error = new FirecrawlError
            {
                Message = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Firecrawl rate-limited this client, and its hint holds every call back for {wait.TotalSeconds:0.###} s more, longer than this call may wait (see MaxRetryAfter and TotalTimeout)."),
            };
            // No request was sent, so the message says what the gate did rather than what a server answered.
            return Outcome.FromException<HttpResponseMessage>(new FirecrawlRateLimitException(error, wait, error.Message, innerException: null));
        }

        FirecrawlLog.RateLimitGateWait(_settings.Logger, wait.TotalMilliseconds);
        try
        {
            await Task.Delay(wait, _settings.TimeProvider, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception)
        {
            return Outcome.FromException<HttpResponseMessage>(exception);
        }

        return await callback(context, state).ConfigureAwait(false);
    }

    /// <summary>Closes the gate when a 429 carries a wait hint; called for every attempt's response.</summary>
    internal static void Observe(HttpResponseMessage response, FirecrawlClientSettings settings)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests && RetryHint.FromResponse(response, settings.TimeProvider) is { } hint)
        {
            settings.RateLimitGate.CloseFor(hint);
        }
    }
}
