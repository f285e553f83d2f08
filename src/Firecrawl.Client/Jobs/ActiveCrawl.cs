using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>A crawl that is neither cancelled nor finished, as <see cref="FirecrawlClient.GetActiveCrawlsAsync"/> lists it.</summary>
public sealed record ActiveCrawl
{
    /// <summary>The crawl's job id, for <see cref="FirecrawlClient.CancelCrawlAsync(string, CancellationToken)"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The URL the crawl started from, when the server said.</summary>
    public string? Url { get; init; }

    /// <summary>When the crawl was created, when the server said.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The team the crawl belongs to (<c>bypass</c> on a self-hosted server without auth).</summary>
    public string? TeamId { get; init; }

    /// <summary>The crawl's options as the server stores them (limits, paths, scrape options), as JSON.</summary>
    public JsonElement? Options { get; init; }
}
