namespace Firecrawl.Client.Testing;

/// <summary>What a request asks the emulator to do, once its route is matched.</summary>
internal enum EmulatorEndpoint
{
    CreateBatchScrape,
    CreateCrawl,
    BatchScrapeStatus,
    CrawlStatus,
    CancelBatchScrape,
    CancelCrawl,
    ActiveCrawls,
}

/// <summary>A request after routing: the endpoint it reached (none for an unmatched route), its API version and job id.</summary>
internal readonly record struct EmulatorRoute(string Method, string Path, EmulatorEndpoint? Endpoint, string? Version, string? JobId)
{
    public bool IsCrawl => Endpoint is EmulatorEndpoint.CreateCrawl or EmulatorEndpoint.CrawlStatus or EmulatorEndpoint.CancelCrawl;

    /// <summary>Cancels, status reads and active-crawl lists share the server's second rate-limit bucket; creates have their own.</summary>
    public bool IsCreate => Endpoint is EmulatorEndpoint.CreateBatchScrape or EmulatorEndpoint.CreateCrawl;
}

/// <summary>
/// The emulator's routes, declared once, first match wins, matched as Express matches them (not strict, not case
/// sensitive): any case, and one trailing slash allowed. A literal segment is matched before a <c>{id}</c> in the same
/// place because it is listed first, so <c>/v1/crawl/active</c> is never read as a job id.
/// </summary>
internal static class EmulatorRoutes
{
    private static readonly (string Method, string[] Template, EmulatorEndpoint Endpoint)[] Table =
    [
        ("POST", ["{version}", "batch", "scrape"], EmulatorEndpoint.CreateBatchScrape),
        ("POST", ["{version}", "crawl"], EmulatorEndpoint.CreateCrawl),
        ("GET", ["{version}", "crawl", "active"], EmulatorEndpoint.ActiveCrawls),
        ("GET", ["{version}", "crawl", "ongoing"], EmulatorEndpoint.ActiveCrawls),
        ("GET", ["{version}", "batch", "scrape", "{id}"], EmulatorEndpoint.BatchScrapeStatus),
        ("GET", ["{version}", "crawl", "{id}"], EmulatorEndpoint.CrawlStatus),
        ("DELETE", ["{version}", "batch", "scrape", "{id}"], EmulatorEndpoint.CancelBatchScrape),
        ("DELETE", ["{version}", "crawl", "{id}"], EmulatorEndpoint.CancelCrawl),
    ];

    public static EmulatorRoute Match(string method, string path)
    {
        // segments[0] is the empty string before the leading slash; one trailing slash is allowed.
        string[] segments = (path.Length > 1 && path.EndsWith('/') ? path[..^1] : path).Split('/');
        foreach ((string routeMethod, string[] template, EmulatorEndpoint endpoint) in Table)
        {
            if (routeMethod == method && segments.Length == template.Length + 1
                && TryBind(template, segments, out string? version, out string? id))
            {
                return new EmulatorRoute(method, path, endpoint, version, id);
            }
        }

        return new EmulatorRoute(method, path, null, null, null);
    }

    private static bool TryBind(string[] template, string[] segments, out string? version, out string? id)
    {
        version = null;
        id = null;
        for (int i = 0; i < template.Length; i++)
        {
            string segment = segments[i + 1];
            switch (template[i])
            {
                case "{version}" when segment.Equals("v1", StringComparison.OrdinalIgnoreCase) || segment.Equals("v2", StringComparison.OrdinalIgnoreCase):
                    version = segment.Equals("v1", StringComparison.OrdinalIgnoreCase) ? "v1" : "v2";
                    break;
                case "{id}" when segment.Length > 0:
                    id = segment;
                    break;
                case var literal when literal.Equals(segment, StringComparison.OrdinalIgnoreCase):
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

/// <summary>What the emulator answers when no fault takes over: a JSON status and body, or Express's HTML 404.</summary>
internal readonly record struct EmulatorAnswer(int Status, string Body, bool NotFoundPage = false);
