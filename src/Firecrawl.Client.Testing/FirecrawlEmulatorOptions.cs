namespace Firecrawl.Client.Testing;

/// <summary>How the emulator behaves. The defaults reproduce the self-hosted server of the August 2025 build.</summary>
public sealed class FirecrawlEmulatorOptions
{
    /// <summary>
    /// The keys the emulator accepts, one team each. Default: empty, the server's no-auth mode, which takes every
    /// request (with or without a key) as one team. With keys, it authenticates as the server's auth mode does: 401 for
    /// a missing, empty or unknown key. A key must have the real form, <c>fc-</c> and 32 hex digits (see
    /// <see cref="FirecrawlEmulator.NewApiKey"/>): one that could never be valid is refused when the emulator starts.
    /// </summary>
    public IList<string> ApiKeys { get; } = new List<string>();

    /// <summary>Which server build to answer like. Default: <see cref="FirecrawlServerProfile.SelfHosted2025"/>.</summary>
    public FirecrawlServerProfile Profile { get; set; } = FirecrawlServerProfile.SelfHosted2025;

    /// <summary>
    /// Cancels, status reads and active-crawl lists each team may make per <see cref="RateLimitWindow"/> before it gets
    /// Firecrawl's 429, which names the wait only in its message text, rounded to whole seconds as the server rounds
    /// it. The window is fixed and starts with the team's first request; refused requests count too. Default:
    /// <see langword="null"/>, no limit.
    /// </summary>
    public int? RateLimitPerWindow { get; set; }

    /// <summary>
    /// Job creations each team may make per <see cref="RateLimitWindow"/>, in a bucket of their own as on the server.
    /// Default: <see langword="null"/>, no limit.
    /// </summary>
    public int? CreateRateLimitPerWindow { get; set; }

    /// <summary>The length of a rate-limit window. Default: 60 seconds, as on the cloud service.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an idle keep-alive connection stays open. Default: 5 seconds, as the real server.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Keep every request in <see cref="FirecrawlEmulator.Requests"/>. Default: <see langword="true"/>. Turn it off for
    /// long load runs, where the list would only grow.
    /// </summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>The clock for rate-limit windows and request timestamps. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
