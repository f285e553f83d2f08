using System.Net;

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
    /// it. The window is fixed and starts with the team's first request; refused requests count too. The limit applies
    /// to each of the server's buckets apart: crawl and batch-scrape calls share <c>crawlStatus</c>, agent-job calls
    /// count in <c>extractStatus</c>. Default: <see langword="null"/>, no limit.
    /// </summary>
    public int? RateLimitPerWindow { get; set; }

    /// <summary>
    /// Job creations each team may make per <see cref="RateLimitWindow"/>, in buckets of their own as on the server
    /// (<c>crawl</c> for crawls and batch scrapes, <c>extract</c> for agent jobs).
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

    /// <summary>
    /// The TCP port to listen on. Default: 0, a free port chosen when the emulator starts (read it from
    /// <see cref="FirecrawlEmulator.BaseAddress"/>). A port that is taken fails the start with an <see cref="IOException"/>.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// The address to listen on: an IP address, or <c>localhost</c> for <c>127.0.0.1</c>. Default: <c>127.0.0.1</c>.
    /// The emulator has no real security (its keys are a list, its control API has none), so keep it on loopback unless
    /// the machine's network is yours alone.
    /// </summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Serve the control API under <c>/__emulator/</c>, through which a test in any language creates jobs in a state,
    /// queues faults, reads the recorded requests and resets everything. Default: <see langword="false"/>, so a client
    /// under test never reaches it; without it those paths get the real server's 404.
    /// </summary>
    public bool EnableControlApi { get; set; }

    /// <summary>The address to listen on, after every setting is checked; every problem is named in one exception.</summary>
    internal IPAddress Validate()
    {
        var problems = new List<string>();
        if (ApiKeys.Any(static key => key is null || !KeyAuthenticator.IsWellFormedKey(key)))
        {
            // Never echo the key: a test may have been handed a real one by mistake.
            problems.Add("ApiKeys holds a key that the real server could never accept: a key is 'fc-' followed by 32 hex digits. Use FirecrawlEmulator.NewApiKey() to make one.");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"Port must be from 0 (a free port) to 65535 (was {Port}).");
        }

        IPAddress? address = null;
        if (string.Equals(Host?.Trim(), "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (Host is null || !IPAddress.TryParse(Host.Trim().Trim('[', ']'), out address))
        {
            problems.Add("Host must be an IP address, such as 127.0.0.1 or ::1, or localhost.");
        }

        if (RateLimitPerWindow is <= 0 || CreateRateLimitPerWindow is <= 0)
        {
            problems.Add("RateLimitPerWindow and CreateRateLimitPerWindow must be at least 1, or null for no limit.");
        }

        if (RateLimitWindow <= TimeSpan.Zero || RateLimitWindow > TimeSpan.FromDays(1))
        {
            problems.Add($"RateLimitWindow must be longer than zero and at most a day (was {RateLimitWindow}).");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null; use TimeProvider.System.");
        }

        return problems.Count > 0
            ? throw new ArgumentException("Invalid FirecrawlEmulatorOptions: " + string.Join(" ", problems), "options")
            : address!;
    }
}
