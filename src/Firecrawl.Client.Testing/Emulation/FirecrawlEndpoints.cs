using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Firecrawl.Client.Testing;

/// <summary>
/// What the server's controllers answer once a request is past auth and the limiter. The answers of each kind of job
/// are its model's (<see cref="EmulatedKind"/>); this holds what they share: the jobs, the clock, the build's profile,
/// the links the server writes, and the active-crawl list (docs/server-behaviour.md).
/// </summary>
internal sealed class FirecrawlEndpoints(FirecrawlEmulatorOptions options, EmulatorProfile profile, JobStore jobs)
{
    public EmulatorProfile Profile { get; } = profile;

    public DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    /// <summary>A job made as its create would make it, or as the control API asks, with the model's defaults.</summary>
    public EmulatedJob CreateJob(string team, FirecrawlJobKind kind, string? url = null, int? total = null, string? optionsJson = null, EmulatedJobStatus status = EmulatedJobStatus.Scraping)
    {
        DateTimeOffset now = Now;
        var job = new EmulatedJob(JobIds.New(Profile.UuidV7Ids, now), team, kind, url ?? "https://example.com", total ?? EmulatedKind.For(kind).DefaultTotal, now, optionsJson) { Status = status };
        return jobs.Add(job);
    }

    /// <summary>
    /// The link the server writes to a job: the scheme and host the request came to (the server builds it from
    /// <c>req.get("host")</c>), the version, and the kind's route.
    /// </summary>
    public static string Link(string origin, EmulatorRoute route, string id) =>
        origin + "/" + route.Version + route.Kind!.Route.Replace("{id}", id, StringComparison.Ordinal);

    /// <summary>The expiry a status names: a day from now, to the whole second, as the server's <c>expiresAt</c> is.</summary>
    public static string ExpiresAt(DateTimeOffset now) => Express.IsoString(now.AddHours(24).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));

    public EmulatorAnswer Create(EmulatorRoute route, string team, JsonDocument? body, string origin) =>
        EmulatedKind.For(route.Kind!).Create(this, route, team, body?.RootElement, origin);

    public EmulatorAnswer Status(EmulatorRoute route, string team, string origin) =>
        EmulatedKind.For(route.Kind!).Status(this, route, Find(route), team, origin);

    public EmulatorAnswer Cancel(EmulatorRoute route, string team) =>
        EmulatedKind.For(route.Kind!).Cancel(this, route, Find(route), team);

    /// <summary>The team's crawls that are neither cancelled nor finished; no other kind is listed.</summary>
    public EmulatorAnswer ActiveCrawls(string team)
    {
        var crawls = new StringBuilder();
        string teamId = Express.Quote(JobIds.TeamIdOf(team));
        foreach (EmulatedJob job in jobs.ActiveCrawls(team))
        {
            crawls.Append(crawls.Length == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{job.Id}\",\"teamId\":{teamId},\"url\":{Express.Quote(job.Url)},\"created_at\":\"{Express.IsoString(job.CreatedAt)}\",\"options\":{PagedJobs.ListedOptions(job)}}}");
        }

        return new EmulatorAnswer(200, $"{{\"success\":true,\"crawls\":[{crawls}]}}");
    }

    /// <summary>The job a route names, if it is one of the route's kind: an agent id on a crawl route is not found.</summary>
    private EmulatedJob? Find(EmulatorRoute route) =>
        route.JobId is { } id && jobs.TryGet(id, out EmulatedJob job) && IsSameModel(job.Kind, route.Kind!) ? job : null;

    /// <summary>
    /// Crawls and batch scrapes live in one store on the server, so either route finds either; an agent job lives apart.
    /// </summary>
    private static bool IsSameModel(FirecrawlJobKind a, FirecrawlJobKind b) => ReferenceEquals(EmulatedKind.For(a).Store, EmulatedKind.For(b).Store);
}
