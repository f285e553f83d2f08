namespace Firecrawl.Client;

/// <summary>
/// Where the key and the server come from when the options leave them unset: <c>FIRECRAWL_API_KEY</c> and
/// <c>FIRECRAWL_API_URL</c>, then (for the server) the cloud service. It only chooses; <see cref="OptionChecks"/> checks.
/// </summary>
internal static class EnvironmentFallback
{
    /// <summary>The key and the name of where it came from, for messages; null when there is none.</summary>
    public static (string? Key, string Source) ApiKey(FirecrawlClientOptions options, Func<string, string?> environment, SettingNames names)
    {
        if (options.ApiKey is { } key)
        {
            return (key, names.ApiKey);
        }

        // An exported-but-empty variable is common in shells and CI; it means "no key", not a bad key.
        string? fromEnvironment = environment(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
        return (string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment, FirecrawlClientOptions.ApiKeyEnvironmentVariable);
    }

    /// <summary>
    /// The server and where it came from. <c>Unreadable</c> is the variable's text when it is not an absolute URL;
    /// <c>IsDefault</c> says the cloud service was chosen because nothing named a server.
    /// </summary>
    public static (Uri? Address, string Source, string? Unreadable, bool IsDefault) BaseAddress(FirecrawlClientOptions options, Func<string, string?> environment, SettingNames names)
    {
        if (options.BaseAddress is { } address)
        {
            return (address, names.BaseAddress, null, false);
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

/// <summary>
/// What the checks call the settings whose values a caller chooses: the option names by default; the command line
/// passes its own (<c>--api-key</c>), so that an error about an input names the input the person typed.
/// </summary>
/// <param name="ApiKey">The key's name.</param>
/// <param name="BaseAddress">The server's name.</param>
/// <param name="AllowApiKeyOverPlainHttp">How to allow a key over plain http, as the fix a message gives.</param>
/// <param name="WhereKeysGo">Where a key is given instead of in the address, as the fix a message gives.</param>
internal sealed record SettingNames(string ApiKey, string BaseAddress, string AllowApiKeyOverPlainHttp, string WhereKeysGo)
{
    /// <summary>The names of <see cref="FirecrawlClientOptions"/>.</summary>
    public static SettingNames Options { get; } = new("ApiKey", "BaseAddress", "set AllowApiKeyOverPlainHttp = true", "ApiKey (or DefaultHeaders for a proxy's credentials)");
}
