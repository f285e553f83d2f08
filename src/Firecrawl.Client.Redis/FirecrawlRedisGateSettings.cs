using Microsoft.Extensions.Configuration;

namespace Firecrawl.Client.Redis;

/// <summary>
/// What the <c>Firecrawl:Redis</c> section can set, bound by the configuration-binding source generator (no reflection,
/// so the DI path stays AOT-clean). The section is either the configuration string itself
/// (<c>"Redis": "localhost:6379"</c>) or an object with <c>Configuration</c> and the options by name.
/// </summary>
internal sealed class FirecrawlRedisGateSettings
{
    public string? Configuration { get; set; }

    public string? Scope { get; set; }

    public string? KeyPrefix { get; set; }

    public TimeSpan? CommandTimeout { get; set; }

    public TimeSpan? RetryInterval { get; set; }

    public int? MaxInFlightUntilLearned { get; set; }

    public TimeSpan? LearnedPaceLifetime { get; set; }

    /// <summary>Binds <paramref name="section"/>: the configuration string, and what it set onto <paramref name="options"/>.</summary>
    public static string? Bind(IConfigurationSection section, FirecrawlRedisGateOptions options)
    {
        if (section.Value is { Length: > 0 } configuration)
        {
            return configuration;
        }

        var settings = new FirecrawlRedisGateSettings();
        section.Bind(settings);
        options.Scope = settings.Scope ?? options.Scope;
        options.KeyPrefix = settings.KeyPrefix ?? options.KeyPrefix;
        options.CommandTimeout = settings.CommandTimeout ?? options.CommandTimeout;
        options.RetryInterval = settings.RetryInterval ?? options.RetryInterval;
        options.MaxInFlightUntilLearned = settings.MaxInFlightUntilLearned ?? options.MaxInFlightUntilLearned;
        options.LearnedPaceLifetime = settings.LearnedPaceLifetime ?? options.LearnedPaceLifetime;
        return settings.Configuration;
    }
}
