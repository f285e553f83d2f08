using System.Globalization;
using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// Turns the last attempt's answer, or the failure that left no answer, into the operation's result or a typed
/// exception. Server text passes through the client's redactor before it reaches any message.
/// </summary>
internal static class ResponseMapper
{
    /// <summary>
    /// Maps the answer to <paramref name="result"/>, or returns the exception to report. An error answer is returned,
    /// not thrown, so the caller throws it once: every throw costs the runtime's stack capture and first-chance
    /// notifications, which also differ between runtime patches. A body that cannot be read as a success still throws.
    /// </summary>
    public static FirecrawlException? Map<TResult>(FirecrawlOperation<TResult> operation, AttemptResponse response, string id, CallState call, ClientRuntime runtime, out TResult result)
    {
        HttpStatusCode status = response.StatusCode;
        int retries = call.Retries;
        if ((int)status is >= 200 and <= 299)
        {
            result = operation.MapSuccess(response, id, call, runtime);
            return null;
        }

        FirecrawlError error = response.ServerError(runtime.Redactor);
        if ((int)status is >= 300 and <= 399)
        {
            error = error with
            {
                Message = $"HTTP {(int)status} redirect to {ServerText.Location(response.Response, runtime.Redactor)}. Redirects are not followed, "
                    + "so the API key is never sent to another address and a DELETE never becomes a GET; point BaseAddress at the final address.",
            };
        }

        if (operation.TryMapFailure(status, error, id, out result))
        {
            return null;
        }

        // Any status may name a wait (a 503 with Retry-After); the caller gets it whenever the client did not sleep it.
        TimeSpan? retryAfter = response.Hint?.Wait;
        string message = operation.DescribeFailure(id, call) + FirecrawlApiException.Describe(status, error)
            + (retryAfter is { } wait ? string.Create(CultureInfo.InvariantCulture, $" Retry after {wait.TotalSeconds:0.###} s.") : string.Empty)
            + (retries > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({retries + 1} attempts)") : string.Empty);
        return status switch
        {
            HttpStatusCode.Unauthorized => new FirecrawlUnauthorizedException(error, message, innerException: null) { RetryAfter = retryAfter },
            HttpStatusCode.Forbidden => new FirecrawlForbiddenException(error, message, innerException: null) { RetryAfter = retryAfter },
            HttpStatusCode.NotFound => new FirecrawlNotFoundException(error, message, innerException: null) { RetryAfter = retryAfter },
            HttpStatusCode.TooManyRequests => new FirecrawlRateLimitException(error, retryAfter, message, innerException: null),
            >= HttpStatusCode.InternalServerError and <= (HttpStatusCode)599 => new FirecrawlServerException(status, error, message, innerException: null) { RetryAfter = retryAfter },
            _ => new FirecrawlApiException(status, error, message, innerException: null) { RetryAfter = retryAfter },
        };
    }

    /// <summary>Wraps a failure that left no response: the network, a timeout, the gate, or something unexpected.</summary>
    public static FirecrawlException MapException<TResult>(
        FirecrawlOperation<TResult> operation, Exception exception, string id, CallState call, ClientRuntime runtime)
    {
        string attempts = call.Retries > 0 ? string.Create(CultureInfo.InvariantCulture, $" after {call.Retries + 1} attempts") : string.Empty;
        string prefix = operation.DescribeFailure(id, call);
        string text = ServerText.Message(exception, runtime.Redactor);

        // The original stays inside, masked too: its message may quote what the server sent (an invalid status line).
        Exception inner = runtime.Redactor.Scrub(exception);
        TimeSpan total = runtime.Configuration.TotalTimeout;
        return exception switch
        {
            FirecrawlRateLimitException gate => new FirecrawlRateLimitException(gate.Error, gate.RetryAfter, prefix + gate.Message, gate),
            FirecrawlException own => own,

            // An attempt's own limit ended the call only once every retry was spent. With retries still allowed the rules
            // stop retrying a timeout only when the call's budget is spent (a late timer fired past it), so the budget is
            // what ended it, as it is for a total timeout.
            AttemptTimeoutException timeout when call.Retries >= runtime.Configuration.MaxRetries => new FirecrawlTimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"{prefix}the call timed out{attempts}: every attempt ran past the {timeout.Limit.TotalSeconds:0.###} s limit (AttemptTimeout)."),
                inner),
            TotalTimeoutException or AttemptTimeoutException => new FirecrawlTimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"{prefix}the call timed out{attempts}: it ran past its {total.TotalSeconds:0.###} s limit (TotalTimeout)."),
                inner),
            OperationCanceledException => new FirecrawlTimeoutException($"{prefix}the request was cancelled by a time limit{attempts}.", inner),
            _ when TransportFailure.Permanent(exception, runtime.Configuration.BaseAddress, runtime.Redactor) is { } fix =>
                new FirecrawlException(prefix + fix, inner),
            HttpRequestException or IOException => new FirecrawlException(
                $"{prefix}could not get an answer from {ClientConfiguration.Describe(runtime.Configuration.BaseAddress)}{attempts}: {text}",
                inner),
            _ => new FirecrawlException($"{prefix}{exception.GetType().Name}: {text}", inner),
        };
    }
}
