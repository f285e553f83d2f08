namespace Firecrawl.Client;

/// <summary>
/// Every check on the options, run before anything is frozen, so one <see cref="ArgumentException"/> lists every
/// problem at once. Messages name the option and never repeat a key or a header value.
/// </summary>
internal static class OptionChecks
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>Lists every problem with the options; an empty list means they are usable.</summary>
    public static List<string> Validate(
        FirecrawlClientOptions options, Func<string, string?>? environment, out string? apiKey, out Uri? baseAddress, SettingNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        names ??= SettingNames.Options;
        var errors = new List<string>();

        (string? key, string keySource) = EnvironmentFallback.ApiKey(options, environment, names);
        apiKey = key is null ? null : CheckApiKey(key, keySource, errors);
        (Uri? Address, string Source, string? Unreadable, bool IsDefault) chosen = EnvironmentFallback.BaseAddress(options, environment, names);
        baseAddress = CheckBaseAddress(chosen, names, errors);
        if (apiKey is not null && baseAddress is not null && baseAddress.Scheme == Uri.UriSchemeHttp
            && !baseAddress.IsLoopback && !options.AllowApiKeyOverPlainHttp)
        {
            errors.Add($"{chosen.Source} {Shown(baseAddress)} is plain http and not loopback, so the API key would cross the network unencrypted. "
                + $"Use https, or {names.AllowApiKeyOverPlainHttp} for a self-hosted server on a trusted network.");
        }

        if (options.ApiVersion is not (FirecrawlApiVersion.V1 or FirecrawlApiVersion.V2))
        {
            errors.Add($"ApiVersion {(int)options.ApiVersion} is not a known version; use V1 or V2.");
        }

        if (options.MaxRetries is < 0 or > 100)
        {
            errors.Add($"MaxRetries must be between 0 and 100 (was {options.MaxRetries}).");
        }

        CheckDelay(nameof(options.RetryBaseDelay), options.RetryBaseDelay, errors);
        CheckDelay(nameof(options.RetryMaxDelay), options.RetryMaxDelay, errors);
        CheckDelay(nameof(options.MaxRetryAfter), options.MaxRetryAfter, errors);
        CheckTimeout(nameof(options.AttemptTimeout), options.AttemptTimeout, errors);
        CheckTimeout(nameof(options.TotalTimeout), options.TotalTimeout, errors);
        CheckDelay(nameof(options.SettleInterval), options.SettleInterval, errors);
        if (options.SettleTimeout < TimeSpan.FromSeconds(1) || options.SettleTimeout > MaxTimeout)
        {
            errors.Add($"SettleTimeout must be between 1 second and 24 hours (was {options.SettleTimeout}).");
        }

        if (options.TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null; use TimeProvider.System.");
        }

        CheckHeaders(options.DefaultHeaders, errors);

        return errors;
    }

    private static string? CheckApiKey(string key, string source, List<string> errors)
    {
        key = key.Trim();
        if (key.Length == 0)
        {
            errors.Add($"{source} is empty. Leave it unset (null) to send no Authorization header.");
            return null;
        }

        foreach (char c in key)
        {
            // Never echo the key: it may be real even when it is malformed.
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c > '\u007e')
            {
                errors.Add($"{source} contains a character that cannot be sent in an HTTP header (whitespace, a control character or non-ASCII).");
                return null;
            }
        }

        return key;
    }

    private static Uri? CheckBaseAddress((Uri? Address, string Source, string? Unreadable, bool IsDefault) chosen, SettingNames names, List<string> errors)
    {
        (Uri? address, string source, string? unreadable, bool isDefault) = chosen;
        if (isDefault)
        {
            return address;
        }

        if (unreadable is not null)
        {
            // Not echoed: text that is not a URL at all may be a key put in the wrong variable.
            errors.Add($"{source} is not an absolute URL such as https://api.firecrawl.dev or http://localhost:3002 (its value is not shown, in case it is a key).");
            return null;
        }

        if (!address!.IsAbsoluteUri)
        {
            errors.Add($"{source} {InputText.Quote(address.OriginalString, MaxQuotedAddress)} must be an absolute URL such as https://api.firecrawl.dev or http://localhost:3002.");
            return null;
        }

        // Quoted only for a message: a valid address is never formatted (it cost a fresh process the quoting code's JIT).
        if (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{source} {Shown(address)} must use http or https, not {InputText.Quote(address.Scheme)}.");
            return null;
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            errors.Add($"{source} {Shown(address)} must not carry user info (user:password@); give the key as {names.WhereKeysGo} instead.");
            return null;
        }

        if (address.Port is < 1 or > 65535 || string.IsNullOrEmpty(address.Host))
        {
            errors.Add($"{source} {Shown(address)} must name a host and a port between 1 and 65535.");
            return null;
        }

        if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            errors.Add($"{source} {Shown(address)} must not have a query or a fragment: give the server's address only, such as https://api.firecrawl.dev.");
            return null;
        }

        return address;
    }

    /// <summary>Addresses are quoted up to this many characters: longer than an id, since real ones often are.</summary>
    private const int MaxQuotedAddress = 200;

    /// <summary>An address as a message shows it: without user info, bounded.</summary>
    private static string Shown(Uri address) => InputText.Quote(ClientConfiguration.Describe(address), MaxQuotedAddress);

    private static void CheckDelay(string name, TimeSpan value, List<string> errors)
    {
        if (value < TimeSpan.Zero || value > MaxTimeout)
        {
            errors.Add($"{name} must be between 0 and 24 hours (was {value}).");
        }
    }

    private static void CheckTimeout(string name, TimeSpan value, List<string> errors)
    {
        if (value != Timeout.InfiniteTimeSpan && (value < MinTimeout || value > MaxTimeout))
        {
            errors.Add($"{name} must be between 10 ms and 24 hours, or Timeout.InfiniteTimeSpan (was {value}).");
        }
    }

    private static void CheckHeaders(IDictionary<string, string> headers, List<string> errors)
    {
        if (headers.Count == 0)
        {
            return;
        }

        using var probe = new HttpRequestMessage();
        foreach (KeyValuePair<string, string> header in headers)
        {
            // Values are never echoed: a default header is often a credential for a proxy.
            if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("DefaultHeaders must not contain Authorization; set ApiKey instead.");
            }
            else if (string.IsNullOrWhiteSpace(header.Key) || !probe.Headers.TryAddWithoutValidation(header.Key, string.Empty))
            {
                errors.Add($"DefaultHeaders entry '{Printable(header.Key)}' is not a request header name HttpClient can send (a token of ASCII letters, digits and !#$%&'*+-.^_`|~, and not a content header such as Content-Type).");
            }
            else if (header.Value is null)
            {
                errors.Add($"DefaultHeaders['{header.Key}'] is null.");
            }
            else if (!IsSendable(header.Value))
            {
                // HttpClient refuses to send these at every attempt; refusing them here names the option instead.
                errors.Add($"DefaultHeaders['{header.Key}'] has a character HttpClient cannot send in a header (only printable ASCII and tab; no line breaks, control characters or non-ASCII such as 'å'). Encode the value, for example as Base64 or percent-encoding.");
            }
        }
    }

    /// <summary>
    /// What a header value may hold: printable ASCII and horizontal tab. A loop, not SearchValues: building a SearchValues
    /// costs a fresh process milliseconds of JIT, and a header value is short.
    /// </summary>
    private static bool IsSendable(string value)
    {
        foreach (char c in value)
        {
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A name as it can be shown in a message: control characters would garble a log line.</summary>
    private static string Printable(string text) => string.Concat(text.Select(static c => char.IsControl(c) ? '?' : c));
}
