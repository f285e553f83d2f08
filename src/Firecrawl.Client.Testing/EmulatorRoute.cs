namespace Firecrawl.Client.Testing;

/// <summary>A request path read the way the server's router reads it: <c>/v1|v2/batch/scrape[/id]</c> or <c>/v1|v2/crawl[/id]</c>.</summary>
internal readonly record struct EmulatorRoute(string Method, string Path, string? Version, bool IsCrawl, bool IsJobRoute, string? JobId)
{
    public static EmulatorRoute Parse(string method, string path)
    {
        string[] parts = path.Split('/');

        // parts[0] is the empty string before the leading slash.
        if (parts.Length < 3 || parts[1] is not ("v1" or "v2"))
        {
            return new EmulatorRoute(method, path, null, false, false, null);
        }

        string version = parts[1];
        if (parts[2] == "crawl")
        {
            return parts.Length switch
            {
                3 => new EmulatorRoute(method, path, version, true, true, null),
                4 when parts[3].Length > 0 => new EmulatorRoute(method, path, version, true, true, parts[3]),
                _ => new EmulatorRoute(method, path, version, true, false, null),
            };
        }

        if (parts.Length >= 4 && parts[2] == "batch" && parts[3] == "scrape")
        {
            return parts.Length switch
            {
                4 => new EmulatorRoute(method, path, version, false, true, null),
                5 when parts[4].Length > 0 => new EmulatorRoute(method, path, version, false, true, parts[4]),
                _ => new EmulatorRoute(method, path, version, false, false, null),
            };
        }

        return new EmulatorRoute(method, path, version, false, false, null);
    }
}

/// <summary>What the emulator answers when no fault takes over.</summary>
internal readonly record struct EmulatorAnswer(int Status, string Body, string ContentType = "application/json; charset=utf-8");
