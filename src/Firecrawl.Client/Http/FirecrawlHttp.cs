using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The one place the HTTP handler chain is defined: auth, then (on the DI path) the user's own handlers, then the
/// transport. Retries and time limits sit above HttpClient in <see cref="AttemptPipeline"/>, so every handler in the
/// chain runs once per attempt. The plain constructors and the DI registration both build it from here.
/// </summary>
internal static class FirecrawlHttp
{
    /// <summary>The SDK's handlers, outermost first.</summary>
    public static DelegatingHandler[] CreateHandlers(ClientConfiguration configuration) =>
        [new BearerTokenHandler(configuration.ApiKey)];

    public static HttpMessageHandler Chain(ClientConfiguration configuration, HttpMessageHandler transport)
    {
        HttpMessageHandler inner = transport;
        DelegatingHandler[] handlers = CreateHandlers(configuration);
        for (int i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }

        return inner;
    }

    /// <summary>
    /// The default transport. Redirects are not followed: a redirect could carry the key to another host or turn the
    /// DELETE into a GET. Idle connections are dropped before the server's 5-second keep-alive closes them. The
    /// machine's proxy is used, except for loopback addresses (see <see cref="LoopbackBypassProxy"/>).
    /// </summary>
    public static SocketsHttpHandler CreateTransport(ClientConfiguration configuration) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = true,
        Proxy = new LoopbackBypassProxy(configuration.SystemProxy),
    };
}
