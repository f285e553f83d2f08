namespace Firecrawl.Client;

/// <summary>The result of <see cref="IFirecrawlClient.CancelBatchScrapeAsync"/>.</summary>
public sealed record CancelBatchScrapeResult : CancelJobResult;
