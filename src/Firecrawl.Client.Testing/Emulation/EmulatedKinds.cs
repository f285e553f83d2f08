using System.Globalization;
using System.Text.Json;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The emulator's model of how the server answers for one kind of job: its create, its status and its cancel, by server
/// build. The routes, versions and buckets come from the client's description (<see cref="FirecrawlJobKind"/>); what
/// the answers say is the server's, read from its source, and kept here apart from the client's reading of them, so the
/// emulator tests the client rather than agreeing with it. A new kind of job is one more model here.
/// </summary>
internal abstract class EmulatedKind
{
    private static readonly Dictionary<string, EmulatedKind> Models = new(StringComparer.Ordinal)
    {
        [FirecrawlJobKind.BatchScrape.Name] = new PagedJobs(FirecrawlJobKind.BatchScrape),
        [FirecrawlJobKind.Crawl.Name] = new PagedJobs(FirecrawlJobKind.Crawl),
        [FirecrawlJobKind.Agent.Name] = new AgentJobs(),
    };

    /// <summary>The model of a kind; a kind the client describes but the emulator does not model is an error, not a default.</summary>
    public static EmulatedKind For(FirecrawlJobKind kind) =>
        Models.TryGetValue(kind.Name, out EmulatedKind? model)
            ? model
            : throw new InvalidOperationException($"The emulator has no model of the job kind '{kind.Name}'; add one to {nameof(EmulatedKind)}.");

    /// <summary>Whether the emulator models a kind.</summary>
    public static bool IsModelled(FirecrawlJobKind kind) => Models.ContainsKey(kind.Name);

    /// <summary>The bucket the server counts this kind's creates in.</summary>
    public abstract string CreateBucket { get; }

    /// <summary>
    /// Where the server keeps jobs of this kind: kinds kept together find each other's ids (a crawl route finds a batch
    /// scrape, as on the server); kinds kept apart do not.
    /// </summary>
    public abstract string Store { get; }

    /// <summary>How many pages (or, for an agent job, credits) a job made without a create request starts with.</summary>
    public virtual int DefaultTotal => 1;

    public abstract EmulatorAnswer Create(FirecrawlEndpoints server, EmulatorRoute route, string team, JsonElement? body, string origin);

    public abstract EmulatorAnswer Status(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team, string origin);

    public abstract EmulatorAnswer Cancel(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team);

    /// <summary>Whether a job id passes the v2 id check of the builds that have it (any UUID version).</summary>
    protected static bool FailsV2IdCheck(EmulatorProfile profile, EmulatorRoute route) =>
        route.Version == "v2" && profile.V2ChecksUuid && !Guid.TryParse(route.JobId, out _);

    protected static EmulatorAnswer InvalidId() =>
        new(400, ErrorBodies.Of("Invalid job ID format. Job ID must be a valid UUID.", success: false));
}

/// <summary>
/// Batch scrapes and crawls: one server controller cancels both, and their status counts pages. After a cancel, pages
/// that were being scraped run to their end and are counted and billed (<see cref="EmulatedJob.InFlight"/>); queued
/// pages fail at start and leave <c>total</c>. Without workers (the default) nothing drains, as on a server without them.
/// </summary>
internal sealed class PagedJobs(FirecrawlJobKind kind) : EmulatedKind
{
    private const string DefaultCrawlOptions = """{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}""";

    public override string CreateBucket => "crawl";

    public override string Store => "crawl";

    /// <summary>A batch scrape made without a request has one page; a crawl whose kickoff never ran knows none.</summary>
    public override int DefaultTotal => kind == FirecrawlJobKind.Crawl ? 0 : 1;

    /// <summary>
    /// <c>POST /v1|v2/crawl</c> and <c>/v1|v2/batch/scrape</c>: the server's input checks (<see cref="CreateRequestValidator"/>),
    /// then a job and the answer the controller writes. A crawl's kickoff never runs without workers, so it knows no page
    /// yet (<c>total</c> 0); a batch scrape knows its URLs.
    /// </summary>
    public override EmulatorAnswer Create(FirecrawlEndpoints server, EmulatorRoute route, string team, JsonElement? body, string origin)
    {
        string? url;
        int total = 0;
        string invalid = string.Empty;
        bool crawl = kind == FirecrawlJobKind.Crawl;
        if (crawl)
        {
            (url, string? refusal) = CreateRequestValidator.CheckCrawl(route.Version!, body);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }
        }
        else
        {
            (IReadOnlyList<string>? urls, IReadOnlyList<string>? invalidUrls, string? refusal) = CreateRequestValidator.CheckBatch(route.Version!, body);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }

            total = urls!.Count;
            url = total > 0 ? urls[0] : null;
            invalid = invalidUrls is null ? string.Empty : $",\"invalidURLs\":[{string.Join(",", invalidUrls.Select(Express.Quote))}]";
        }

        string? crawlOptions = crawl && body is { } request ? CrawlOptions(request) : null;
        EmulatedJob job = server.CreateJob(team, kind, url, total, crawlOptions);
        return new EmulatorAnswer(200, $"{{\"success\":true,\"id\":\"{job.Id}\",\"url\":{Express.Quote(FirecrawlEndpoints.Link(origin, route, job.Id))}{invalid}}}");
    }

    /// <summary>
    /// <c>GET /v1|v2/{kind}/{id}</c>: the first page, with the job's figures and its documents (placeholders), and a
    /// <c>next</c> link as the build links it (<see cref="NextLinks"/>).
    /// </summary>
    public override EmulatorAnswer Status(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team, string origin)
    {
        if (job is null || job.Team != team)
        {
            return new EmulatorAnswer(404, ErrorBodies.Of("Job not found", success: false));
        }

        DateTimeOffset now = server.Now;
        (string status, int completed, int total, int returned) figures;
        lock (job)
        {
            if (job.Status == EmulatedJobStatus.Expired)
            {
                // Without a database the server cannot tell an expired job from one that never was; the cloud can.
                return new EmulatorAnswer(404, ErrorBodies.Of(server.Profile.SaysJobExpired ? "Job expired" : "Job not found", success: false));
            }

            figures = job.Status switch
            {
                EmulatedJobStatus.Completed => ("completed", job.Total, job.Total, job.Total),
                EmulatedJobStatus.Failed => ("completed", job.Total, job.Total, 0),
                EmulatedJobStatus.Cancelled => Cancelled(job, now),
                _ => ("scraping", job.Completed, job.Total, job.Completed),
            };
        }

        (string status, int completed, int total, int returned) = figures;
        bool next = server.Profile.Next switch
        {
            NextLinks.WhileScraping => status == "scraping",
            NextLinks.UnlessCompleted => total > returned || status != "completed",
            _ => total > returned,
        };
        string link = next ? $",\"next\":{Express.Quote(FirecrawlEndpoints.Link(origin, route, job.Id) + $"?skip={returned}")}" : string.Empty;
        string data = string.Join(",", Enumerable.Range(0, returned).Select(_ => Document(job.Url)));
        return new EmulatorAnswer(
            200,
            string.Create(CultureInfo.InvariantCulture, $"{{\"success\":true,\"status\":\"{status}\",\"completed\":{completed},\"total\":{total},\"creditsUsed\":{completed},\"expiresAt\":\"{FirecrawlEndpoints.ExpiresAt(now)}\"{link},\"data\":[{data}]}}"));
    }

    public override EmulatorAnswer Cancel(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team)
    {
        EmulatorProfile profile = server.Profile;
        bool wrap = route.Version == "v2" && profile.V2WrapsBodies;
        if (FailsV2IdCheck(profile, route))
        {
            return InvalidId();
        }

        if (job is null || !Guid.TryParse(job.Id, out _) || job.Status == EmulatedJobStatus.Expired)
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

            if (job.Status == EmulatedJobStatus.Cancelled && profile.RepeatCancelFails)
            {
                // The queue says the group was no longer active, and the controller turns that into a failure.
                return new EmulatorAnswer(500, wrap ? ErrorBodies.Of("Failed to cancel crawl", success: false) : ErrorBodies.Of("Failed to cancel crawl"));
            }

            if (!job.HasFinished && job.Status != EmulatedJobStatus.Cancelled)
            {
                job.Status = EmulatedJobStatus.Cancelled;
                job.CancelledAt = server.Now;

                // Queued pages fail at start: what remains in total is what was done and what is in flight.
                if (job.InFlight > 0)
                {
                    job.Total = job.Completed + job.InFlight;
                }
            }
        }

        return new EmulatorAnswer(200, wrap ? """{"success":true,"status":"cancelled"}""" : """{"status":"cancelled"}""");
    }

    /// <summary>A cancelled job's figures: what was done, and what of its work in flight has finished by now.</summary>
    private static (string, int, int, int) Cancelled(EmulatedJob job, DateTimeOffset now)
    {
        int completed = job.Completed + job.Drained(now);
        return ("cancelled", completed, job.Total, completed);
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
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name != "url")
                {
                    crawlOptions[property.Name] = property.Value.GetRawText();
                }
            }
        }

        return "{" + string.Join(",", crawlOptions.Select(static o => Express.Quote(o.Key) + ":" + o.Value)) + "}";
    }

    /// <summary>The options a crawl lists when nothing set them.</summary>
    public static string ListedOptions(EmulatedJob job) => job.OptionsJson ?? DefaultCrawlOptions;
}

/// <summary>
/// FIRE-1 agent jobs, on the builds that have them (December 2025 on): <c>POST /v2/agent</c>, <c>GET</c> and
/// <c>DELETE /v2/agent/{id}</c>, in the <c>extract</c> and <c>extractStatus</c> buckets. A cancelled agent job reads
/// <c>failed</c> with an error about the cancel; its credits are those of its steps, in flight ones included.
/// </summary>
internal sealed class AgentJobs : EmulatedKind
{
    /// <summary>The error a cancelled agent job reads with.</summary>
    public const string CancelledError = "Agent job was cancelled.";

    public override string CreateBucket => "extract";

    public override string Store => "agent";

    /// <summary>An agent job made without a request has used no credits yet.</summary>
    public override int DefaultTotal => 0;

    /// <summary>The agent controller: a prompt is required; the job is recorded before the answer, so a cancel right after finds it.</summary>
    public override EmulatorAnswer Create(FirecrawlEndpoints server, EmulatorRoute route, string team, JsonElement? body, string origin)
    {
        JsonElement? prompt = body is { ValueKind: JsonValueKind.Object } request && request.TryGetProperty("prompt", out JsonElement given) ? given : null;
        if (prompt is not { ValueKind: JsonValueKind.String })
        {
            var issues = new ZodIssues();
            issues.InvalidType("string", prompt, ["prompt"]);
            return new EmulatorAnswer(400, issues.Body());
        }

        EmulatedJob job = server.CreateJob(team, FirecrawlJobKind.Agent, url: null, total: 0);
        return new EmulatorAnswer(200, $"{{\"success\":true,\"id\":\"{job.Id}\"}}");
    }

    public override EmulatorAnswer Status(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team, string origin)
    {
        if (FailsV2IdCheck(server.Profile, route))
        {
            return InvalidId();
        }

        if (job is null || job.Team != team || job.Status == EmulatedJobStatus.Expired)
        {
            return NotFound();
        }

        DateTimeOffset now = server.Now;
        string expires = Express.IsoString(job.CreatedAt.AddHours(24));
        string model = ",\"model\":\"spark-1-pro\"";
        lock (job)
        {
            string credits = string.Create(CultureInfo.InvariantCulture, $",\"creditsUsed\":{job.Completed + job.Drained(now)}");
            return job.Status switch
            {
                // No agent row yet: no credits to name, so the server names none.
                EmulatedJobStatus.Scraping => new EmulatorAnswer(200, $"{{\"success\":true,\"status\":\"processing\"{model},\"expiresAt\":\"{expires}\"}}"),
                EmulatedJobStatus.Completed => new EmulatorAnswer(200, $"{{\"success\":true,\"status\":\"completed\",\"data\":{{}}{model},\"expiresAt\":\"{expires}\"{credits}}}"),
                EmulatedJobStatus.Cancelled => new EmulatorAnswer(200, $"{{\"success\":true,\"status\":\"failed\",\"error\":{Express.Quote(CancelledError)}{model},\"expiresAt\":\"{expires}\"{credits}}}"),
                _ => new EmulatorAnswer(200, $"{{\"success\":true,\"status\":\"failed\",\"error\":\"Agent job failed.\"{model},\"expiresAt\":\"{expires}\"{credits}}}"),
            };
        }
    }

    public override EmulatorAnswer Cancel(FirecrawlEndpoints server, EmulatorRoute route, EmulatedJob? job, string team)
    {
        if (FailsV2IdCheck(server.Profile, route))
        {
            return InvalidId();
        }

        if (job is null || job.Team != team || job.Status == EmulatedJobStatus.Expired)
        {
            return NotFound();
        }

        lock (job)
        {
            if (job.HasFinished)
            {
                return new EmulatorAnswer(409, ErrorBodies.Of("Agent already finished", success: false));
            }

            if (job.Status == EmulatedJobStatus.Cancelled)
            {
                return new EmulatorAnswer(409, ErrorBodies.Of("Agent is already cancelled", success: false));
            }

            job.Status = EmulatedJobStatus.Cancelled;
            job.CancelledAt = server.Now;
        }

        return new EmulatorAnswer(200, """{"success":true}""");
    }

    private static EmulatorAnswer NotFound() => new(404, ErrorBodies.Of("Agent job not found", success: false));
}
