namespace Firecrawl.Client.Testing;

/// <summary>How the emulator behaves. The defaults match a self-hosted server of the Aug 2025 build.</summary>
public sealed class FirecrawlEmulatorOptions
{
    /// <summary>
    /// The keys the emulator accepts, one team each. Default: empty, which accepts requests with no
    /// <c>Authorization</c> header, as a self-hosted server does. With keys, it answers 401 exactly as the cloud does.
    /// </summary>
    public IList<string> ApiKeys { get; } = new List<string>();

    /// <summary>
    /// Answer a cancel of a completed job with 409 "already completed", as newer servers do. Default:
    /// <see langword="false"/>: 200 <c>{"status":"cancelled"}</c>, as older servers do.
    /// </summary>
    public bool ConflictOnCompletedJobs { get; set; }

    /// <summary>
    /// Requests each team may make per <see cref="RateLimitWindow"/> before it gets Firecrawl's 429, which names the
    /// wait only in its message text. Default: <see langword="null"/>, no limit.
    /// </summary>
    public int? RateLimitPerWindow { get; set; }

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
