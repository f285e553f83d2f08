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
}

/// <summary>A request after routing: the endpoint it reached (none for an unmatched route), its API version and job id.</summary>
internal readonly record struct EmulatorRoute(string Method, string Path, EmulatorEndpoint? Endpoint, string? Version, string? JobId)
{
    public bool IsCrawl => Endpoint is EmulatorEndpoint.CreateCrawl or EmulatorEndpoint.CrawlStatus or EmulatorEndpoint.CancelCrawl;
}

/// <summary>
/// The emulator's routes, declared once, first match wins. A literal segment is matched before a <c>{id}</c> in the
/// same place when it is listed first, so a route such as <c>/v1/crawl/active</c> is never read as a job id.
/// </summary>
internal static class EmulatorRoutes
{
    private static readonly (string Method, string[] Template, EmulatorEndpoint Endpoint)[] Table =
    [
        ("POST", ["{version}", "batch", "scrape"], EmulatorEndpoint.CreateBatchScrape),
        ("POST", ["{version}", "crawl"], EmulatorEndpoint.CreateCrawl),
        ("GET", ["{version}", "batch", "scrape", "{id}"], EmulatorEndpoint.BatchScrapeStatus),
        ("GET", ["{version}", "crawl", "{id}"], EmulatorEndpoint.CrawlStatus),
        ("DELETE", ["{version}", "batch", "scrape", "{id}"], EmulatorEndpoint.CancelBatchScrape),
        ("DELETE", ["{version}", "crawl", "{id}"], EmulatorEndpoint.CancelCrawl),
    ];

    public static EmulatorRoute Match(string method, string path)
    {
        // segments[0] is the empty string before the leading slash.
        string[] segments = path.Split('/');
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
                case "{version}" when segment is "v1" or "v2":
                    version = segment;
                    break;
                case "{id}" when segment.Length > 0:
                    id = segment;
                    break;
                case var literal when literal == segment:
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

/// <summary>What the emulator answers when no fault takes over.</summary>
internal readonly record struct EmulatorAnswer(int Status, string Body, string ContentType = "application/json; charset=utf-8");
