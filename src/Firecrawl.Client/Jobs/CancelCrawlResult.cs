namespace Firecrawl.Client;

/// <summary>The result of <see cref="FirecrawlClient.CancelCrawlAsync(string, CancellationToken)"/>.</summary>
public sealed record CancelCrawlResult : CancelJobResult;
