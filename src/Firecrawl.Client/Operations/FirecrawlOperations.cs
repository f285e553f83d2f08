namespace Firecrawl.Client;

/// <summary>
/// Every operation the client runs, found from the kinds of job (each kind's cancel and status read) and the one
/// operation that belongs to no kind (the active-crawl list). Nothing here is written per kind.
/// </summary>
internal static class FirecrawlOperations
{
    public static CancelOperation CancelBatchScrape => FirecrawlJobKind.BatchScrape.CancelOperation;

    public static CancelOperation CancelCrawl => FirecrawlJobKind.Crawl.CancelOperation;

    public static CancelOperation CancelAgent => FirecrawlJobKind.Agent.CancelOperation;

    public static ActiveCrawlsOperation GetActiveCrawls => ActiveCrawlsOperation.Instance;

    /// <summary>Each kind's cancel and status read, then the active-crawl list.</summary>
    public static IEnumerable<FirecrawlOperation> All =>
        FirecrawlJobKind.All.SelectMany(static kind => new FirecrawlOperation[] { kind.CancelOperation, kind.StatusOperation }).Append(GetActiveCrawls);
}
