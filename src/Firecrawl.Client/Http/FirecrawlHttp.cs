using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The one place the handler chain is defined: auth, then resilience, then transport. The plain constructors and the
/// DI registration both build it from here, so behaviour tested on one path holds on the other.
/// </summary>
internal static class FirecrawlHttp
{
    /// <summary>The SDK's handlers, outermost first.</summary>
    public static DelegatingHandler[] CreateHandlers(FirecrawlClientSettings settings) =>
        [new BearerTokenHandler(settings.ApiKey), new FirecrawlResilienceHandler(settings)];

    public static HttpMessageHandler Chain(FirecrawlClientSettings settings, HttpMessageHandler transport)
    {
        HttpMessageHandler inner = transport;
        DelegatingHandler[] handlers = CreateHandlers(settings);
        for (int i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }

        return inner;
    }

    /// <summary>
    /// The default transport. Redirects are not followed: a redirect could carry the key to another host or turn the
    /// DELETE into a GET. Idle connections are dropped before the server's 5-second keep-alive closes them.
    /// </summary>
    public static HttpMessageHandler CreateTransport() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(4),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    };
}
