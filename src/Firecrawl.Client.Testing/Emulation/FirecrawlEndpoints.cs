using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Firecrawl.Client.Testing;

/// <summary>
/// What the server's controllers answer once a request is past auth and the limiter: create, status, the active-crawl
/// list and cancel, row by row from the recording (docs/server-behaviour.md).
/// </summary>
internal sealed class FirecrawlEndpoints(FirecrawlEmulatorOptions options, EmulatorProfile profile, JobStore jobs)
{
    private const string DefaultCrawlOptions = """{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}""";

    public EmulatedJob CreateJob(string team, bool isCrawl, string? url = null, int total = 1, string? optionsJson = null, EmulatedJobStatus status = EmulatedJobStatus.Scraping)
    {
        DateTimeOffset now = options.TimeProvider.GetUtcNow();
        var job = new EmulatedJob(JobIds.New(profile.UuidV7Ids, now), team, isCrawl, url ?? "https://example.com", total, now, optionsJson) { Status = status };
        return jobs.Add(job);
    }

    /// <summary>
    /// <c>POST /v1|v2/crawl</c> and <c>/v1|v2/batch/scrape</c>: the server's input checks (<see cref="CreateRequestValidator"/>),
    /// then a job and the answer the controller writes. <paramref name="origin"/> is the scheme and host the request
    /// came to, as the server builds its links from <c>req.get("host")</c>.
    /// </summary>
    public EmulatorAnswer Create(EmulatorRoute route, string team, JsonDocument? body, string origin)
    {
        JsonElement? root = body?.RootElement;
        string? url;
        int total = 1;
        string invalid = string.Empty;
        if (route.IsCrawl)
        {
            (url, string? refusal) = CreateRequestValidator.CheckCrawl(route.Version!, root);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }
        }
        else
        {
            (IReadOnlyList<string>? urls, IReadOnlyList<string>? invalidUrls, string? refusal) = CreateRequestValidator.CheckBatch(route.Version!, root);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }

            total = urls!.Count;
            url = total > 0 ? urls[0] : null;
            invalid = invalidUrls is null ? string.Empty : $",\"invalidURLs\":[{string.Join(",", invalidUrls.Select(Express.Quote))}]";
        }

        string? crawlOptions = route.IsCrawl && root is { } request ? CrawlOptions(request) : null;
        EmulatedJob job = CreateJob(team, route.IsCrawl, url, total, crawlOptions);
        string location = $"{origin}/{route.Version}/{(route.IsCrawl ? "crawl" : "batch/scrape")}/{job.Id}";
        return new EmulatorAnswer(200, $"{{\"success\":true,\"id\":\"{job.Id}\",\"url\":{Express.Quote(location)}{invalid}}}");
    }

    /// <summary>
    /// <c>GET /v1|v2/crawl/{id}</c> and <c>/batch/scrape/{id}</c>. While pages are missing from <c>data</c> (none were
    /// scraped: running, cancelled early, or every page failed) the server links <c>next</c> to the same page,
    /// <c>?skip=0</c>; a client that follows <c>next</c> until it is gone never stops, and Firecrawl's JS SDK does so.
    /// </summary>
    public EmulatorAnswer Status(EmulatorRoute route, string id, string team, string origin)
    {
        if (!jobs.TryGet(id, out EmulatedJob job) || job.Team != team)
        {
            return new EmulatorAnswer(404, ErrorBodies.Of("Job not found", success: false));
        }

        if (job.Status == EmulatedJobStatus.Expired)
        {
            // Without a database the server cannot tell an expired job from one that never was; the cloud can.
            return new EmulatorAnswer(404, ErrorBodies.Of(profile.SaysJobExpired ? "Job expired" : "Job not found", success: false));
        }

        (string status, int completed, int scraped) = job.Status switch
        {
            EmulatedJobStatus.Completed => ("completed", job.Total, job.Total),
            EmulatedJobStatus.Failed => ("completed", job.Total, 0),
            EmulatedJobStatus.Cancelled => ("cancelled", 0, 0),
            _ => ("scraping", 0, 0),
        };
        DateTimeOffset now = options.TimeProvider.GetUtcNow();
        string expires = Express.IsoString(now.AddHours(24).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        string next = job.Total > scraped
            ? $",\"next\":{Express.Quote($"{origin}/{route.Version}/{(route.IsCrawl ? "crawl" : "batch/scrape")}/{id}?skip={scraped}")}"
            : string.Empty;
        string data = string.Join(",", Enumerable.Range(0, scraped).Select(_ => Document(job.Url)));
        return new EmulatorAnswer(
            200,
            string.Create(CultureInfo.InvariantCulture, $"{{\"success\":true,\"status\":\"{status}\",\"completed\":{completed},\"total\":{job.Total},\"creditsUsed\":{completed},\"expiresAt\":\"{expires}\"{next},\"data\":[{data}]}}"));
    }

    /// <summary>The team's crawls that are neither cancelled nor finished; batch scrapes are never listed.</summary>
    public EmulatorAnswer ActiveCrawls(string team)
    {
        var crawls = new StringBuilder();
        string teamId = Express.Quote(JobIds.TeamIdOf(team));
        foreach (EmulatedJob job in jobs.ActiveCrawls(team))
        {
            crawls.Append(crawls.Length == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{job.Id}\",\"teamId\":{teamId},\"url\":{Express.Quote(job.Url)},\"created_at\":\"{Express.IsoString(job.CreatedAt)}\",\"options\":{job.OptionsJson ?? DefaultCrawlOptions}}}");
        }

        return new EmulatorAnswer(200, $"{{\"success\":true,\"crawls\":[{crawls}]}}");
    }

    public EmulatorAnswer Cancel(EmulatorRoute route, string id, string team)
    {
        bool wrap = route.Version == "v2" && profile.V2WrapsBodies;
        bool isUuid = Guid.TryParse(id, out _);
        if (route.Version == "v2" && profile.V2ChecksUuid && !isUuid)
        {
            return new EmulatorAnswer(400, ErrorBodies.Of("Invalid job ID format. Job ID must be a valid UUID.", success: false));
        }

        if (!isUuid || !jobs.TryGet(id, out EmulatedJob job) || job.Status == EmulatedJobStatus.Expired)
        {
            return new EmulatorAnswer(404, wrap ? ErrorBodies.Of("Job not found", success: false) : ErrorBodies.Of("Job not found"));
        }

        if (job.Team != team)
        {
            return route.Version == "v2" && profile.V2HidesForeignJobs
                ? new EmulatorAnswer(404, ErrorBodies.Of("Job not found"))
                : new EmulatorAnswer(403, ErrorBodies.Of("Unauthorized"));
        }

        lock (job)
        {
            if (job.HasFinished && profile.ConflictOnCompletedJobs)
            {
                return new EmulatorAnswer(409, wrap ? ErrorBodies.Of("Crawl is already completed", success: false) : ErrorBodies.Of("Crawl is already completed"));
            }

            if (!job.HasFinished)
            {
                job.Status = EmulatedJobStatus.Cancelled;
            }
        }

        return new EmulatorAnswer(200, wrap ? """{"success":true,"status":"cancelled"}""" : """{"status":"cancelled"}""");
    }

    /// <summary>A scraped page: a placeholder, since the emulator scrapes nothing, in the shape the server's documents take.</summary>
    private static string Document(string url) =>
        $"{{\"markdown\":\"Emulated page\",\"metadata\":{{\"sourceURL\":{Express.Quote(url)},\"url\":{Express.Quote(url)},\"statusCode\":200}}}}";

    /// <summary>The crawl options the server stores and lists: what the request set, over the server's defaults.</summary>
    private static string CrawlOptions(JsonElement root)
    {
        var crawlOptions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["includePaths"] = "[]",
            ["excludePaths"] = "[]",
            ["limit"] = "10000",
            ["maxDepth"] = "10",
        };
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name != "url")
            {
                crawlOptions[property.Name] = property.Value.GetRawText();
            }
        }

        return "{" + string.Join(",", crawlOptions.Select(static o => Express.Quote(o.Key) + ":" + o.Value)) + "}";
    }
}
