namespace Firecrawl.Client;

/// <summary>The result of <see cref="FirecrawlClient.CancelBatchScrapeAsync"/>.</summary>
public sealed record CancelBatchScrapeResult : CancelJobResult;
