using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Firecrawl.Client;

/// <summary>
/// Binds a configuration section by hand: no reflection-based binder, so the DI path stays trimmable and AOT-clean.
/// A value that does not parse fails with a message naming its key.
/// </summary>
internal static class FirecrawlConfigurationBinder
{
    public static void Bind(IConfiguration section, FirecrawlClientOptions options)
    {
        string path = section is IConfigurationSection named ? named.Path : FirecrawlClientOptions.SectionName;
        if (section[nameof(FirecrawlClientOptions.ApiKey)] is { } apiKey)
        {
            options.ApiKey = apiKey;
        }

        if (section[nameof(FirecrawlClientOptions.BaseAddress)] is { } baseAddress)
        {
            options.BaseAddress = Uri.TryCreate(baseAddress, UriKind.Absolute, out Uri? parsed)
                ? parsed
                : throw Invalid(path, nameof(FirecrawlClientOptions.BaseAddress), baseAddress, "an absolute URL");
        }

        if (section[nameof(FirecrawlClientOptions.ApiVersion)] is { } version)
        {
            options.ApiVersion = Enum.TryParse(version, ignoreCase: true, out FirecrawlApiVersion parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw Invalid(path, nameof(FirecrawlClientOptions.ApiVersion), version, "V1 or V2");
        }

        if (section[nameof(FirecrawlClientOptions.AllowApiKeyOverPlainHttp)] is { } allow)
        {
            options.AllowApiKeyOverPlainHttp = bool.TryParse(allow, out bool parsed)
                ? parsed
                : throw Invalid(path, nameof(FirecrawlClientOptions.AllowApiKeyOverPlainHttp), allow, "true or false");
        }

        if (section[nameof(FirecrawlClientOptions.MaxRetries)] is { } retries)
        {
            options.MaxRetries = int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
                ? parsed
                : throw Invalid(path, nameof(FirecrawlClientOptions.MaxRetries), retries, "a whole number");
        }

        options.RetryBaseDelay = ReadTimeSpan(section, path, nameof(FirecrawlClientOptions.RetryBaseDelay), options.RetryBaseDelay);
        options.RetryMaxDelay = ReadTimeSpan(section, path, nameof(FirecrawlClientOptions.RetryMaxDelay), options.RetryMaxDelay);
        options.MaxRetryAfter = ReadTimeSpan(section, path, nameof(FirecrawlClientOptions.MaxRetryAfter), options.MaxRetryAfter);
        options.AttemptTimeout = ReadTimeSpan(section, path, nameof(FirecrawlClientOptions.AttemptTimeout), options.AttemptTimeout);
        options.TotalTimeout = ReadTimeSpan(section, path, nameof(FirecrawlClientOptions.TotalTimeout), options.TotalTimeout);

        foreach (IConfigurationSection header in section.GetSection(nameof(FirecrawlClientOptions.DefaultHeaders)).GetChildren())
        {
            if (header.Value is { } value)
            {
                options.DefaultHeaders[header.Key] = value;
            }
        }
    }

    private static TimeSpan ReadTimeSpan(IConfiguration section, string path, string key, TimeSpan current)
    {
        string? text = section[key];
        if (text is null)
        {
            return current;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed)
            ? parsed
            : throw Invalid(path, key, text, "a time span such as 00:00:30");
    }

    private static InvalidOperationException Invalid(string path, string key, string value, string expected) =>
        new($"Configuration value {path}:{key} ('{value}') is not valid: expected {expected}.");
}
