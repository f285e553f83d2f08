namespace Firecrawl.Client;

/// <summary>The result of <see cref="FirecrawlClient.CancelAgentAsync(string, CancellationToken)"/>.</summary>
public sealed record CancelAgentResult : CancelJobResult;
