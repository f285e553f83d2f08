using System.Reflection;

namespace Firecrawl.Client;

/// <summary>
/// One route of an operation in one API version: the <see cref="IFirecrawlApi"/> method that declares it and a call of
/// that method. Its HTTP method and path are read from the method's Refit attribute, the one place routes are written.
/// </summary>
internal sealed class OperationRoute(FirecrawlApiVersion version, string apiMethod, Func<IFirecrawlApi, string, CancellationToken, Task<HttpResponseMessage>> send)
{
    private Refit.HttpMethodAttribute? _declaration;

    public FirecrawlApiVersion Version { get; } = version;

    /// <summary>The name of the <see cref="IFirecrawlApi"/> method.</summary>
    public string ApiMethod { get; } = apiMethod;

    /// <summary>Sends one attempt through the Refit interface.</summary>
    public Func<IFirecrawlApi, string, CancellationToken, Task<HttpResponseMessage>> Send { get; } = send;

    /// <summary>The HTTP method, as the Refit interface declares it.</summary>
    public HttpMethod Method => Declaration.Method;

    /// <summary>The path with its version, such as <c>/v1/batch/scrape/{id}</c>, as the Refit interface declares it.</summary>
    public string Path => Declaration.Path;

    /// <summary>Read when first needed: two threads racing read the same attribute.</summary>
    private Refit.HttpMethodAttribute Declaration => _declaration ??=
        typeof(IFirecrawlApi).GetMethod(ApiMethod)?.GetCustomAttribute<Refit.HttpMethodAttribute>()
        ?? throw new InvalidOperationException($"IFirecrawlApi has no Refit method '{ApiMethod}'.");
}

/// <summary>The versions of one operation's route: a client's chosen version when the route has it, else the one it has.</summary>
internal sealed class OperationRoutes(params OperationRoute[] routes)
{
    private readonly OperationRoute[] _routes = routes.Length > 0 ? routes : throw new ArgumentException("An operation has at least one route.", nameof(routes));

    /// <summary>The versions that have this route, oldest first.</summary>
    public IReadOnlyList<FirecrawlApiVersion> Versions { get; } = Array.AsReadOnly(VersionsOf(routes));

    /// <summary>A loop, not LINQ: every client builds these, and LINQ's generic code over the version enum was JIT a fresh process paid for.</summary>
    private static FirecrawlApiVersion[] VersionsOf(OperationRoute[] routes)
    {
        var versions = new FirecrawlApiVersion[routes.Length];
        for (int i = 0; i < routes.Length; i++)
        {
            versions[i] = routes[i].Version;
        }

        return versions;
    }

    /// <summary>Every version's route.</summary>
    public IReadOnlyList<OperationRoute> All => _routes;

    /// <summary>
    /// The route of <paramref name="preferred"/>, or the newest when the route is not in that version: agent jobs are on
    /// v2 alone, and a client set to v1 still reaches them.
    /// </summary>
    public OperationRoute For(FirecrawlApiVersion preferred)
    {
        foreach (OperationRoute route in _routes)
        {
            if (route.Version == preferred)
            {
                return route;
            }
        }

        return _routes[^1];
    }

    /// <summary>The path without its version prefix, such as <c>/batch/scrape/{id}</c>: the same in every version.</summary>
    public string PathWithoutVersion => _routes[0].Path[_routes[0].Path.IndexOf('/', 1)..];
}
