using Microsoft.Extensions.Logging;

namespace Firecrawl.Client.Redis;

/// <summary>Settings of <see cref="FirecrawlRedisRateLimitGate"/>; every one has a default that suits a fleet.</summary>
public sealed class FirecrawlRedisGateOptions
{
    /// <summary>The configuration section the DI extension binds, under the client's: <c>Firecrawl:Redis</c>.</summary>
    public const string SectionName = "Redis";

    /// <summary>
    /// A name for the rate limit that several API keys of one team share. Firecrawl's limit is the team's, not the key's,
    /// so processes that hold different keys of one team should pace as one: give them the same scope. Default:
    /// <see langword="null"/>, one limit per API key and server (the key space is a SHA-256 of both, never the key).
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>The start of every Redis key the gate writes. Default: <c>firecrawl:gate</c>.</summary>
    public string KeyPrefix { get; set; } = "firecrawl:gate";

    /// <summary>
    /// The longest one Redis call may take before the gate gives up on it and uses its in-process gate instead.
    /// Default: 250 ms. A cancel never waits on Redis for longer. A configuration string that names a longer
    /// <c>asyncTimeout</c> (such as <c>redis:6379,asyncTimeout=1000</c>) raises it for the gate that string connects, up to 10 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// After Redis fails, the longest the gate stays on its in-process gate before it tries Redis again: it tries after
    /// a quarter second, then twice as long after each further failure, up to this. Default: 5 s, so a Redis that is
    /// down costs one bounded call per interval, not one per attempt, and one slow call is forgiven within a second.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many attempts the whole fleet keeps in flight until the first 429 has taught the limit. Before that nothing
    /// says where the limit is, and every attempt in flight when the window fills earns a 429. Default: 4; 0 for no bound.
    /// </summary>
    public int MaxInFlightUntilLearned { get; set; } = 4;

    /// <summary>
    /// How long a learned pace is kept without another 429 to confirm it, so a plan upgrade is noticed once it ages out.
    /// Default: 10 minutes.
    /// </summary>
    public TimeSpan LearnedPaceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Where the gate logs that it fell back to its in-process gate (one warning) and that it rejoined the fleet.
    /// Default: <see langword="null"/>, no logging; the DI extension uses the container's logger factory.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock of the in-process fallback and of the retry interval. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every problem with these settings; empty when they are usable.</summary>
    internal List<string> Validate()
    {
        var errors = new List<string>();
        if (Scope is not null && string.IsNullOrWhiteSpace(Scope))
        {
            errors.Add("Scope is blank; leave it null for one limit per API key.");
        }

        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            errors.Add("KeyPrefix must be a non-blank Redis key prefix without braces (the gate puts its own hash tag after it).");
        }

        if (CommandTimeout < TimeSpan.FromMilliseconds(10) || CommandTimeout > TimeSpan.FromSeconds(10))
        {
            errors.Add($"CommandTimeout must be between 10 ms and 10 s (was {CommandTimeout}).");
        }

        if (RetryInterval < TimeSpan.Zero || RetryInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"RetryInterval must be between 0 and 1 hour (was {RetryInterval}).");
        }

        if (MaxInFlightUntilLearned is < 0 or > 1000)
        {
            errors.Add($"MaxInFlightUntilLearned must be between 0 and 1000 (was {MaxInFlightUntilLearned}).");
        }

        if (LearnedPaceLifetime < TimeSpan.FromSeconds(1) || LearnedPaceLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"LearnedPaceLifetime must be between 1 second and 1 day (was {LearnedPaceLifetime}).");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null; use TimeProvider.System.");
        }

        return errors;
    }
}
