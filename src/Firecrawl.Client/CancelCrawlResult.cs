namespace Firecrawl.Client;

/// <summary>The result of <see cref="IFirecrawlClient.CancelCrawlAsync"/>.</summary>
public sealed record CancelCrawlResult : CancelJobResult;
