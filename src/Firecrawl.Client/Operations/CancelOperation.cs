using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// A cancel, following the server's real behaviour rather than the docs page: success is <c>status == "cancelled"</c>
/// or <c>success == true</c>, and a 409 "already completed" is a result, because the job is no longer running.
/// Batch scrapes and crawls share one server controller, so they differ only in route, noun and result type.
/// </summary>
internal sealed class CancelOperation<TResult>(
    string name, string apiMethod, string noun,
    Func<IFirecrawlApi, string, CancellationToken, Task<HttpResponseMessage>> send,
    Func<string, CancelOutcome, string?, TResult> create)
    : FirecrawlOperation<TResult>(name, apiMethod, noun, MaxCancelBodyBytes)
    where TResult : CancelJobResult
{
    /// <summary>A cancel's answer is a few dozen bytes; 64 KiB leaves room for any proxy's page without reading more.</summary>
    public const int MaxCancelBodyBytes = 64 * 1024;

    public override string Verb => "Cancelling";

    public override Task<HttpResponseMessage> SendAsync(IFirecrawlApi api, string id, CancellationToken cancellationToken) =>
        send(api, id, cancellationToken);

    public override TResult MapSuccess(AttemptResponse response, string id, ClientRuntime runtime)
    {
        HttpStatusCode status = response.StatusCode;
        ResponseBody body = response.Body;
        if (body.Truncated)
        {
            throw BodyTooLarge(response, id, runtime, "is not a cancel response");
        }

        CancelResponseBody parsed;
        try
        {
            parsed = CancelResponseBody.Parse(body.Span);
        }
        catch (JsonException exception)
        {
            throw UnreadableBody(response, id, runtime, "a cancel response", exception);
        }

        if (parsed.StatusIsCancelled || parsed.Success == true)
        {
            return create(id, CancelOutcome.Cancelled, runtime.Redactor.RedactOrNull(parsed.Message));
        }

        FirecrawlError error = ResponseMapper.ParseError(response, runtime);
        throw new FirecrawlApiException(
            status,
            error,
            $"{DescribeFailure(id, runtime.Configuration)}the server answered {(int)status} without confirming the cancel: {error.Message}",
            innerException: null);
    }

    public override string OutcomeTag(TResult result) => result.Outcome == CancelOutcome.Cancelled ? "cancelled" : "already_completed";

    public override string OutcomeName(TResult result) => result.Outcome == CancelOutcome.Cancelled ? nameof(CancelOutcome.Cancelled) : nameof(CancelOutcome.AlreadyCompleted);

    public override bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out TResult result)
    {
        if (status == HttpStatusCode.Conflict && error.Message.Contains("already completed", StringComparison.OrdinalIgnoreCase))
        {
            result = create(id, CancelOutcome.AlreadyCompleted, error.Message);
            return true;
        }

        result = default!;
        return false;
    }
}

/// <summary>The operations the client offers, each described once.</summary>
internal static class FirecrawlOperations
{
    public static readonly CancelOperation<CancelBatchScrapeResult> CancelBatchScrape = new(
        "CancelBatchScrape",
        nameof(IFirecrawlApi.CancelBatchScrapeAsync),
        "batch scrape",
        static (api, id, token) => api.CancelBatchScrapeAsync(id, token),
        static (id, outcome, message) => new CancelBatchScrapeResult { JobId = id, Outcome = outcome, Message = message });

    public static readonly CancelOperation<CancelCrawlResult> CancelCrawl = new(
        "CancelCrawl",
        nameof(IFirecrawlApi.CancelCrawlAsync),
        "crawl",
        static (api, id, token) => api.CancelCrawlAsync(id, token),
        static (id, outcome, message) => new CancelCrawlResult { JobId = id, Outcome = outcome, Message = message });

    public static readonly ActiveCrawlsOperation GetActiveCrawls = new();
}
