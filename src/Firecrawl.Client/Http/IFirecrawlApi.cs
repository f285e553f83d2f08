using Refit;

namespace Firecrawl.Client;

/// <summary>
/// The routes, declared once for Refit's source generator. Routes are relative to the versioned base address
/// (<c>.../v1</c> or <c>.../v2</c>). They return the raw response because the client reads the body itself, with a
/// bound, and maps statuses to its own result and exception types.
/// </summary>
internal interface IFirecrawlApi
{
    [Delete("/batch/scrape/{id}")]
    Task<HttpResponseMessage> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken);

    [Delete("/crawl/{id}")]
    Task<HttpResponseMessage> CancelCrawlAsync(string id, CancellationToken cancellationToken);

    [Get("/crawl/active")]
    Task<HttpResponseMessage> GetActiveCrawlsAsync(CancellationToken cancellationToken);
}
