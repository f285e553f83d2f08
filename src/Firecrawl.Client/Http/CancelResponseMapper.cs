using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// Maps a cancel response to a result or a typed exception, following the server's real behaviour rather than the
/// docs page: success is <c>status == "cancelled"</c> or <c>success == true</c>, and a 409 "already completed" is a
/// result, because the job is no longer running.
/// </summary>
internal static class CancelResponseMapper
{
    public static (CancelOutcome Outcome, string? Message) Map(HttpResponseMessage response, JobKind kind, string id, FirecrawlClientSettings settings)
    {
        HttpStatusCode status = response.StatusCode;
        ReadOnlySpan<byte> body = BufferedBodyContent.GetBody(response, out bool truncated);

        if ((int)status is >= 200 and <= 299)
        {
            return MapSuccess(response, body, truncated, kind, id, settings);
        }

        FirecrawlError error = FirecrawlErrorParser.Parse(status, response.Content.Headers.ContentType, body, truncated);
        if ((int)status is >= 300 and <= 399)
        {
            error = error with
            {
                Message = $"HTTP {(int)status} redirect to {(response.Headers.Location is { } location ? FirecrawlClientSettings.Describe(location) : "nowhere (no Location header)")}. Redirects are not followed, "
                    + "so the API key is never sent to another address and a DELETE never becomes a GET; point BaseAddress at the final address.",
            };
        }

        if (status == HttpStatusCode.Conflict && error.Message.Contains("already completed", StringComparison.OrdinalIgnoreCase))
        {
            return (CancelOutcome.AlreadyCompleted, error.Message);
        }

        TimeSpan? retryAfter = status == HttpStatusCode.TooManyRequests ? RetryHint.FromResponse(response, settings.TimeProvider) : null;
        string message = Describe(kind, id, settings) + FirecrawlApiException.Describe(status, error)
            + (retryAfter is { } wait ? string.Create(CultureInfo.InvariantCulture, $" Retry after {wait.TotalSeconds:0.###} s.") : string.Empty)
            + Attempts(response.RequestMessage);
        throw status switch
        {
            HttpStatusCode.Unauthorized => new FirecrawlUnauthorizedException(error, message, innerException: null),
            HttpStatusCode.Forbidden => new FirecrawlForbiddenException(error, message, innerException: null),
            HttpStatusCode.NotFound => new FirecrawlNotFoundException(error, message, innerException: null),
            HttpStatusCode.TooManyRequests => new FirecrawlRateLimitException(error, retryAfter, message, innerException: null),
            >= HttpStatusCode.InternalServerError and <= (HttpStatusCode)599 => new FirecrawlServerException(status, error, message, innerException: null),
            _ => new FirecrawlApiException(status, error, message, innerException: null),
        };
    }

    /// <summary>Wraps a failure that left no response: the network, a timeout, or something unexpected.</summary>
    public static FirecrawlException MapException(Exception exception, JobKind kind, string id, FirecrawlClientSettings settings)
    {
        string attempts = FirecrawlResilienceHandler.RetriesOf(exception) is > 0 and var retries
            ? string.Create(CultureInfo.InvariantCulture, $" after {retries + 1} attempts")
            : string.Empty;
        string prefix = Describe(kind, id, settings);
        return exception switch
        {
            FirecrawlRateLimitException gate => new FirecrawlRateLimitException(gate.Error, gate.RetryAfter, prefix + gate.Message, gate),
            FirecrawlException own => own,
            AttemptTimeoutException timeout => new FirecrawlTimeoutException(
                $"{prefix}the call timed out{attempts}: every attempt ran past the {timeout.Limit.TotalSeconds:0.###} s limit (AttemptTimeout).",
                exception),
            TotalTimeoutException timeout => new FirecrawlTimeoutException(
                $"{prefix}the call timed out{attempts}: it ran past its {timeout.Limit.TotalSeconds:0.###} s limit (TotalTimeout).",
                exception),
            OperationCanceledException => new FirecrawlTimeoutException($"{prefix}the request was cancelled by a time limit{attempts}.", exception),
            HttpRequestException or IOException => new FirecrawlException(
                $"{prefix}could not get an answer from {FirecrawlClientSettings.Describe(settings.BaseAddress)}{attempts}: {exception.Message}",
                exception),
            _ => new FirecrawlException($"{prefix}{exception.GetType().Name}: {exception.Message}", exception),
        };
    }

    private static (CancelOutcome, string?) MapSuccess(
        HttpResponseMessage response, ReadOnlySpan<byte> body, bool truncated, JobKind kind, string id, FirecrawlClientSettings settings)
    {
        HttpStatusCode status = response.StatusCode;
        if (truncated)
        {
            throw new FirecrawlException(
                $"{Describe(kind, id, settings)}the server answered {(int)status} with a body over {FirecrawlClientSettings.MaxResponseBodyBytes} bytes, which is not a cancel response.");
        }

        CancelResponseBody parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, FirecrawlJsonContext.Default.CancelResponseBody);
        }
        catch (JsonException exception)
        {
            FirecrawlError unreadable = FirecrawlErrorParser.Parse(status, response.Content.Headers.ContentType, body, truncated);
            throw new FirecrawlApiException(
                status,
                unreadable,
                $"{Describe(kind, id, settings)}the server answered {(int)status} but its body is not a cancel response: {unreadable.Message}",
                exception);
        }

        if (parsed.StatusIsCancelled || parsed.Success == true)
        {
            return (CancelOutcome.Cancelled, parsed.Message);
        }

        FirecrawlError error = FirecrawlErrorParser.Parse(status, response.Content.Headers.ContentType, body, truncated);
        throw new FirecrawlApiException(
            status,
            error,
            $"{Describe(kind, id, settings)}the server answered {(int)status} without confirming the cancel: {error.Message}",
            innerException: null);
    }

    private static string Describe(JobKind kind, string id, FirecrawlClientSettings settings)
    {
        string shownId = id.Length > 80 ? id[..80] + "..." : id;
        string what = kind == JobKind.BatchScrape ? "batch scrape" : "crawl";
        string route = kind == JobKind.BatchScrape ? "batch/scrape" : "crawl";
        return $"Cancelling {what} '{shownId}' (DELETE {settings.VersionPath}/{route}/{{id}}) failed: ";
    }

    private static string Attempts(HttpRequestMessage? request) =>
        FirecrawlResilienceHandler.RetriesOf(request) is > 0 and var retries
            ? string.Create(CultureInfo.InvariantCulture, $" ({retries + 1} attempts)")
            : string.Empty;
}
