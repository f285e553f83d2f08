using System.Globalization;
using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The client's rules for trying again, with no I/O of their own: what is transient, how long to wait, how long an
/// attempt may take, and when a wait the gate names is longer than a call may wait. The attempt and the Polly loop both
/// ask these; tests ask them directly.
/// </summary>
internal sealed class RetryRules(ClientRuntime runtime)
{
    private readonly ClientRuntime _runtime = runtime;

    /// <summary>
    /// What to do after the first attempt's outcome (an answer or a failure): stop, retry (the caller then hands it to
    /// <see cref="RetryLoop.RetryAsync"/>), or end with a refusal. Most calls succeed at once, so this keeps Polly and every
    /// extra async layer off the success path.
    /// </summary>
    public RetryDecision FirstDecision(AttemptResponse? response, Exception? failure, CallState call) =>
        _runtime.Configuration.MaxRetries > 0 ? Decide(response, failure, call) : RetryDecision.Stop;

    /// <summary>
    /// Transient: a transport failure, an attempt timeout, 408, 429, 500, 502, 503 or 504, while budget is left. Never
    /// 4xx answers, nor a transport failure that is a fact about the server or the configuration
    /// (<see cref="TransportFailure"/>): a retry cannot change them. A server hint is honoured only if it fits both the hint cap and the time
    /// left; otherwise the caller gets the hint at once rather than a failure later.
    /// </summary>
    /// <remarks>Takes the answer or the failure as they are, not as a Polly outcome: the success path never loads Polly.</remarks>
    internal RetryDecision Decide(AttemptResponse? response, Exception? failure, CallState call)
    {
        ServerHint? hint = null;
        if (failure is { } exception)
        {
            if (exception is not (HttpRequestException or IOException or AttemptTimeoutException)
                || TransportFailure.Permanent(exception, _runtime.Configuration.BaseAddress, _runtime.Redactor) is not null)
            {
                return RetryDecision.Stop;
            }
        }
        else if (!IsTransient(response!.StatusCode))
        {
            return RetryDecision.Stop;
        }
        else
        {
            hint = response.Hint;
        }

        TimeSpan left = _runtime.RemainingBudget(call.Started);
        // The cap applies to the wait as the server named it; the budget must hold the wait as the client sleeps it.
        if (left <= TimeSpan.Zero
            || (hint is { } wait && (wait.Named > _runtime.Configuration.MaxRetryAfter || wait.Wait > left)))
        {
            return RetryDecision.Stop;
        }

        // The retry would meet the shared gate. One closed for longer than this call may wait (another call heard a long
        // hint) ends the call now, rather than after a back-off that could only lead to the same refusal.
        TimeSpan gate = _runtime.PeekGateWait(call.Partition);
        if (gate > TimeSpan.Zero && (gate > _runtime.LongestGateWait || gate > left))
        {
            return RetryDecision.Refuse(GateRefusal(gate));
        }

        return RetryDecision.Again;
    }

    /// <summary>The server's hint when it named one, else the back-off; never longer than the budget left.</summary>
    internal TimeSpan NextDelay(int retry, AttemptResponse? response, Exception? failure, CallState call)
    {
        ClientConfiguration configuration = _runtime.Configuration;
        TimeSpan delay = failure is null && response!.Hint is { } hint
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
    /// The gate holds every call back for <paramref name="wait"/> more, longer than this call may wait. No request was
    /// sent, so the message says what the gate did rather than what a server answered.
    /// </summary>
    internal static FirecrawlRateLimitException GateRefusal(TimeSpan wait)
    {
        var error = new FirecrawlError
        {
            Message = string.Create(
                CultureInfo.InvariantCulture,
                $"Firecrawl rate-limited this client, and its hint holds every call back for {wait.TotalSeconds:0.###} s more, longer than this call may wait (see MaxRetryAfter and TotalTimeout); no request was sent."),
        };
        return new FirecrawlRateLimitException(error, wait, error.Message, innerException: null);
    }
}

/// <summary>
/// What the rules decide about an attempt's outcome, returned to the loop that owns the attempts: stop (the outcome
/// stands), retry, or end the call with <see cref="Refusal"/>, because the retry would meet a rate-limit gate closed for
/// longer than the call may wait.
/// </summary>
internal readonly record struct RetryDecision(bool Retry, FirecrawlRateLimitException? Refusal)
{
    public static RetryDecision Stop => default;

    public static RetryDecision Again => new(true, null);

    public static RetryDecision Refuse(FirecrawlRateLimitException refusal) => new(false, refusal);
}
