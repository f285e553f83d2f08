using Microsoft.Extensions.Configuration;

namespace Firecrawl.Client;

/// <summary>
/// The options a configuration section can set, bound by the configuration-binding source generator: no reflection, so
/// the DI path stays trimmable and AOT-clean. <see cref="FirecrawlClientOptions.TimeProvider"/> and
/// <see cref="FirecrawlClientOptions.LoggerFactory"/> are objects, not settings, so they are not here. Every value is
/// nullable so that a key the section does not have leaves what other registrations set untouched.
/// </summary>
internal sealed class FirecrawlConfigurationSettings
{
    public string? ApiKey { get; set; }

    public Uri? BaseAddress { get; set; }

    public FirecrawlApiVersion? ApiVersion { get; set; }

    public bool? AllowApiKeyOverPlainHttp { get; set; }

    public int? MaxRetries { get; set; }

    public TimeSpan? RetryBaseDelay { get; set; }

    public TimeSpan? RetryMaxDelay { get; set; }

    public TimeSpan? MaxRetryAfter { get; set; }

    public TimeSpan? AttemptTimeout { get; set; }

    public TimeSpan? TotalTimeout { get; set; }

    public TimeSpan? SettleInterval { get; set; }

    public TimeSpan? SettleTimeout { get; set; }

    public Dictionary<string, string> DefaultHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Binds <paramref name="section"/> and copies what it set onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration section, FirecrawlClientOptions options)
    {
        var settings = new FirecrawlConfigurationSettings();
        section.Bind(settings);

        options.ApiKey = settings.ApiKey ?? options.ApiKey;
        options.BaseAddress = settings.BaseAddress ?? options.BaseAddress;
        options.ApiVersion = settings.ApiVersion ?? options.ApiVersion;
        options.AllowApiKeyOverPlainHttp = settings.AllowApiKeyOverPlainHttp ?? options.AllowApiKeyOverPlainHttp;
        options.MaxRetries = settings.MaxRetries ?? options.MaxRetries;
        options.RetryBaseDelay = settings.RetryBaseDelay ?? options.RetryBaseDelay;
        options.RetryMaxDelay = settings.RetryMaxDelay ?? options.RetryMaxDelay;
        options.MaxRetryAfter = settings.MaxRetryAfter ?? options.MaxRetryAfter;
        options.AttemptTimeout = settings.AttemptTimeout ?? options.AttemptTimeout;
        options.TotalTimeout = settings.TotalTimeout ?? options.TotalTimeout;
        options.SettleInterval = settings.SettleInterval ?? options.SettleInterval;
        options.SettleTimeout = settings.SettleTimeout ?? options.SettleTimeout;
        foreach ((string name, string value) in settings.DefaultHeaders)
        {
            options.DefaultHeaders[name] = value;
        }
    }
}
