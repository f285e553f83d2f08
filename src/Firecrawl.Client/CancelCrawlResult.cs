namespace Firecrawl.Client;

/// <summary>The result of <see cref="FirecrawlClient.CancelCrawlAsync"/>.</summary>
public sealed record CancelCrawlResult : CancelJobResult;
