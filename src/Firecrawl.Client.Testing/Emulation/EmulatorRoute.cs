using System.Collections.Concurrent;

namespace Firecrawl.Client.Testing;

/// <summary>What a request asks the emulator to do, once its route is matched.</summary>
internal enum EmulatorEndpoint
{
    /// <summary><c>POST /{version}/{kind}</c>: start a job.</summary>
    Create,

    /// <summary><c>GET /{version}/{kind}/{id}</c>: read a job's status.</summary>
    Status,

    /// <summary><c>DELETE /{version}/{kind}/{id}</c>: cancel a job.</summary>
    Cancel,

    /// <summary><c>GET /{version}/crawl/active</c> (or <c>/ongoing</c>): the team's running crawls.</summary>
    ActiveCrawls,
}

/// <summary>
/// A request after routing: the endpoint it reached (none for an unmatched route), the kind of job, its API version and
/// its job id.
/// </summary>
internal readonly record struct EmulatorRoute(string Method, string Path, EmulatorEndpoint? Endpoint, FirecrawlJobKind? Kind, string? Version, string? JobId)
{
    /// <summary>Creates count in the server's create buckets; everything else a job kind does, in that kind's bucket.</summary>
    public bool IsCreate => Endpoint is EmulatorEndpoint.Create;

    /// <summary>The route's name in the control API (such as <c>cancel-crawl</c>); <see langword="null"/> for an unmatched route.</summary>
    public string? Name => Endpoint is { } endpoint ? NameOf(endpoint, Kind!) : null;

    /// <summary>The name of a kind's endpoint: <c>create-{kind}</c>, <c>{kind}-status</c>, <c>cancel-{kind}</c>, <c>active-crawls</c>.</summary>
    public static string NameOf(EmulatorEndpoint endpoint, FirecrawlJobKind kind) => endpoint switch
    {
        EmulatorEndpoint.Create => $"create-{kind.Name}",
        EmulatorEndpoint.Status => $"{kind.Name}-status",
        EmulatorEndpoint.Cancel => $"cancel-{kind.Name}",
        _ => "active-crawls",
    };

    /// <summary>The server's rate-limit bucket this request counts in.</summary>
    public string Bucket => Endpoint switch
    {
        EmulatorEndpoint.Create => EmulatedKind.For(Kind!).CreateBucket,
        EmulatorEndpoint.ActiveCrawls => FirecrawlJobKind.Crawl.RateLimitBucket,
        _ => Kind!.RateLimitBucket,
    };
}

/// <summary>
/// The emulator's routes, made from the kinds of job the client describes (<see cref="FirecrawlJobKind"/>: each kind's
/// route in each version it has), for the kinds a server build has (agent jobs only on the newer ones). Matched as
/// Express matches them (not strict, not case sensitive): any case, and one trailing slash allowed. Literal routes
/// (<c>/crawl/active</c>) come first, so they are never read as a job id.
/// </summary>
internal sealed class EmulatorRoutes
{
    private static readonly ConcurrentDictionary<EmulatorProfile, EmulatorRoutes> ByProfile = new();

    private readonly (string Method, string[] Template, EmulatorEndpoint Endpoint, FirecrawlJobKind? Kind, string? Version)[] _table;

    private EmulatorRoutes(EmulatorProfile profile)
    {
        var table = new List<(string, string[], EmulatorEndpoint, FirecrawlJobKind?, string?)>();
        foreach (string version in new[] { "v1", "v2" })
        {
            table.Add(("GET", [version, "crawl", "active"], EmulatorEndpoint.ActiveCrawls, FirecrawlJobKind.Crawl, version));
            table.Add(("GET", [version, "crawl", "ongoing"], EmulatorEndpoint.ActiveCrawls, FirecrawlJobKind.Crawl, version));
        }

        foreach (FirecrawlJobKind kind in Kinds(profile))
        {
            string[] route = kind.Route.Split('/', StringSplitOptions.RemoveEmptyEntries);
            foreach (FirecrawlApiVersion api in kind.ApiVersions)
            {
                string version = api == FirecrawlApiVersion.V2 ? "v2" : "v1";
                table.Add(("POST", [version, .. route[..^1]], EmulatorEndpoint.Create, kind, version));
                table.Add(("GET", [version, .. route], EmulatorEndpoint.Status, kind, version));
                table.Add(("DELETE", [version, .. route], EmulatorEndpoint.Cancel, kind, version));
            }
        }

        _table = [.. table];
        Names = [.. _table.Select(static r => EmulatorRoute.NameOf(r.Endpoint, r.Kind!)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Every route by the name the control API gives it, such as <c>cancel-crawl</c> or <c>agent-status</c>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The routes of a server build.</summary>
    public static EmulatorRoutes For(EmulatorProfile profile) => ByProfile.GetOrAdd(profile, static p => new EmulatorRoutes(p));

    /// <summary>The kinds of job a server build has: agent jobs came in December 2025.</summary>
    public static IEnumerable<FirecrawlJobKind> Kinds(EmulatorProfile profile) =>
        FirecrawlJobKind.All.Where(kind => kind != FirecrawlJobKind.Agent || profile.HasAgentJobs);

    public EmulatorRoute Match(string method, string path)
    {
        // segments[0] is the empty string before the leading slash; one trailing slash is allowed.
        string[] segments = (path.Length > 1 && path.EndsWith('/') ? path[..^1] : path).Split('/');
        foreach ((string routeMethod, string[] template, EmulatorEndpoint endpoint, FirecrawlJobKind? kind, string? version) in _table)
        {
            if (routeMethod == method && segments.Length == template.Length + 1 && TryBind(template, segments, out string? id))
            {
                return new EmulatorRoute(method, path, endpoint, kind, version, id);
            }
        }

        return new EmulatorRoute(method, path, null, null, null, null);
    }

    private static bool TryBind(string[] template, string[] segments, out string? id)
    {
        id = null;
        for (int i = 0; i < template.Length; i++)
        {
            string segment = segments[i + 1];
            switch (template[i])
            {
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
