namespace Firecrawl.Client;

/// <summary>The result of <see cref="FirecrawlClient.CancelBatchScrapeAsync(string, CancellationToken)"/>.</summary>
public sealed record CancelBatchScrapeResult : CancelJobResult;
