using Refit;

namespace Firecrawl.Client;

/// <summary>
/// The routes, declared once for Refit's source generator, each with its version: the one place a route and the
/// versions that have it are written. Routes are relative to the server's base address (a path prefix in it is kept).
/// They return the raw response because the client reads the body itself, with a bound, and maps statuses to its own
/// result and exception types. A kind of job (<see cref="FirecrawlJobKind"/>) names the methods of its routes.
/// </summary>
internal interface IFirecrawlApi
{
    [Delete("/v1/batch/scrape/{id}")]
    Task<HttpResponseMessage> CancelBatchScrapeV1Async(string id, CancellationToken cancellationToken);

    [Delete("/v2/batch/scrape/{id}")]
    Task<HttpResponseMessage> CancelBatchScrapeV2Async(string id, CancellationToken cancellationToken);

    [Get("/v1/batch/scrape/{id}")]
    Task<HttpResponseMessage> GetBatchScrapeStatusV1Async(string id, CancellationToken cancellationToken);

    [Get("/v2/batch/scrape/{id}")]
    Task<HttpResponseMessage> GetBatchScrapeStatusV2Async(string id, CancellationToken cancellationToken);

    [Delete("/v1/crawl/{id}")]
    Task<HttpResponseMessage> CancelCrawlV1Async(string id, CancellationToken cancellationToken);

    [Delete("/v2/crawl/{id}")]
    Task<HttpResponseMessage> CancelCrawlV2Async(string id, CancellationToken cancellationToken);

    [Get("/v1/crawl/{id}")]
    Task<HttpResponseMessage> GetCrawlStatusV1Async(string id, CancellationToken cancellationToken);

    [Get("/v2/crawl/{id}")]
    Task<HttpResponseMessage> GetCrawlStatusV2Async(string id, CancellationToken cancellationToken);

    /// <summary>Agent jobs exist on v2 only (since December 2025).</summary>
    [Delete("/v2/agent/{id}")]
    Task<HttpResponseMessage> CancelAgentV2Async(string id, CancellationToken cancellationToken);

    [Get("/v2/agent/{id}")]
    Task<HttpResponseMessage> GetAgentStatusV2Async(string id, CancellationToken cancellationToken);

    [Get("/v1/crawl/active")]
    Task<HttpResponseMessage> GetActiveCrawlsV1Async(CancellationToken cancellationToken);

    [Get("/v2/crawl/active")]
    Task<HttpResponseMessage> GetActiveCrawlsV2Async(CancellationToken cancellationToken);
}
