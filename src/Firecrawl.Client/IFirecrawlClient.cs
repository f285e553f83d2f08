namespace Firecrawl.Client;

/// <summary>
/// The operations of the Firecrawl API that this SDK supports. Depend on this interface, not on
/// <see cref="FirecrawlClient"/>, so your own tests can substitute it.
/// </summary>
public interface IFirecrawlClient
{
    /// <summary>
    /// Cancels a batch scrape job (<c>DELETE /v1/batch/scrape/{id}</c>). Cancel is idempotent on the server, so the
    /// call is retried on transient failures.
    /// </summary>
    /// <param name="id">The job id returned when the batch scrape was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a crawl job (<c>DELETE /v1/crawl/{id}</c>). The server handles it with the same controller as
    /// <see cref="CancelBatchScrapeAsync"/>, so it answers and is retried the same way.
    /// </summary>
    /// <param name="id">The job id returned when the crawl was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    Task<CancelCrawlResult> CancelCrawlAsync(string id, CancellationToken cancellationToken = default);
}
