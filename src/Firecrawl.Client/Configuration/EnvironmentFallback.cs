namespace Firecrawl.Client;

/// <summary>
/// Where the key and the server come from when the options leave them unset: <c>FIRECRAWL_API_KEY</c> and
/// <c>FIRECRAWL_API_URL</c>, then (for the server) the cloud service. It only chooses; <see cref="OptionChecks"/> checks.
/// </summary>
internal static class EnvironmentFallback
{
    /// <summary>The key and the name of where it came from, for messages; null when there is none.</summary>
    public static (string? Key, string Source) ApiKey(FirecrawlClientOptions options, Func<string, string?> environment)
    {
        if (options.ApiKey is { } key)
        {
            return (key, "ApiKey");
        }

        // An exported-but-empty variable is common in shells and CI; it means "no key", not a bad key.
        string? fromEnvironment = environment(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
        return (string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment, FirecrawlClientOptions.ApiKeyEnvironmentVariable);
    }

    /// <summary>
    /// The server and where it came from. <c>Unreadable</c> is the variable's text when it is not an absolute URL;
    /// <c>IsDefault</c> says the cloud service was chosen because nothing named a server.
    /// </summary>
    public static (Uri? Address, string Source, string? Unreadable, bool IsDefault) BaseAddress(FirecrawlClientOptions options, Func<string, string?> environment)
    {
        if (options.BaseAddress is { } address)
        {
            return (address, "BaseAddress", null, false);
        }

        string? fromEnvironment = environment(FirecrawlClientOptions.BaseAddressEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return (FirecrawlClientOptions.DefaultBaseAddress, "default", null, true);
        }

        return Uri.TryCreate(fromEnvironment.Trim(), UriKind.Absolute, out Uri? parsed)
            ? (parsed, FirecrawlClientOptions.BaseAddressEnvironmentVariable, null, false)
            : (null, FirecrawlClientOptions.BaseAddressEnvironmentVariable, fromEnvironment, false);
    }
}
