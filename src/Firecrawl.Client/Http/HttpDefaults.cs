using System.Globalization;
using System.Net.Http.Headers;
using Refit;

namespace Firecrawl.Client;

/// <summary>What every request of a client carries, applied the same way on the plain and the DI path.</summary>
internal static class HttpDefaults
{
    public static readonly string UserAgent = BuildUserAgent();

    /// <summary>
    /// Refit's settings hold no per-client state, so one instance serves every client. The client maps transport
    /// failures itself; Refit's wrapper type must not reach callers.
    /// </summary>
    public static readonly RefitSettings RefitSettings = CreateRefitSettings();

    public static void Configure(HttpClient client, ClientConfiguration configuration)
    {
        client.BaseAddress = configuration.RouteBaseAddress;

        // The resilience pipeline owns every time limit; HttpClient's own 100 s limit would cut a legitimate wait.
        client.Timeout = Timeout.InfiniteTimeSpan;

        // Raw strings, not parsed header objects: HttpClient copies default headers into every request, and a raw
        // value is copied by reference while a parsed one is cloned.
        HttpRequestHeaders headers = client.DefaultRequestHeaders;
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (KeyValuePair<string, string> header in configuration.DefaultHeaders)
        {
            headers.Remove(header.Key);
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    private static RefitSettings CreateRefitSettings()
    {
        RefitSettings settings = RefitSettings.ForJsonContext(FirecrawlJsonContext.Default);
        settings.TransportExceptionFactory = static (_, exception, _) => exception;
        return settings;
    }

    /// <summary>
    /// The package version comes from a constant the build writes, and the runtime from <see cref="Environment.Version"/>:
    /// reading assembly attributes by reflection cost a fresh process a few milliseconds on every start.
    /// </summary>
    private static string BuildUserAgent() =>
        string.Create(CultureInfo.InvariantCulture, $"Firecrawl.Client/{PackageVersion.Value} (.NET {Environment.Version})");
}
