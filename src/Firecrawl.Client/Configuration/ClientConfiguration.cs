namespace Firecrawl.Client;

/// <summary>
/// The options of one client (or one DI registration), checked against each other and the environment, then frozen.
/// It holds values only; what acts on them (pipeline, gate, logger, redactor) is <see cref="ClientRuntime"/>.
/// </summary>
internal sealed class ClientConfiguration
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    private ClientConfiguration(FirecrawlClientOptions options, string? apiKey, Uri baseAddress)
    {
        ApiKey = apiKey;
        BaseAddress = baseAddress;
        ApiVersion = options.ApiVersion;
        VersionPath = options.ApiVersion == FirecrawlApiVersion.V2 ? "/v2" : "/v1";
        VersionedBaseAddress = new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + VersionPath);
        MaxRetries = options.MaxRetries;
        RetryBaseDelay = options.RetryBaseDelay;
        RetryMaxDelay = options.RetryMaxDelay;
        MaxRetryAfter = options.MaxRetryAfter;
        AttemptTimeout = options.AttemptTimeout;
        TotalTimeout = options.TotalTimeout;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory;
        RateLimitGate = options.RateLimitGate;
        Jitter = options.Jitter;
        SystemProxy = options.SystemProxy;
        DefaultHeaders = options.DefaultHeaders.ToArray();
    }

    public string? ApiKey { get; }

    public Uri BaseAddress { get; }

    public FirecrawlApiVersion ApiVersion { get; }

    /// <summary><c>/v1</c> or <c>/v2</c>, for messages that name the route.</summary>
    public string VersionPath { get; }

    /// <summary>The base with the version appended; Refit prepends its path to each route.</summary>
    public Uri VersionedBaseAddress { get; }

    public int MaxRetries { get; }

    public TimeSpan RetryBaseDelay { get; }

    public TimeSpan RetryMaxDelay { get; }

    public TimeSpan MaxRetryAfter { get; }

    public TimeSpan AttemptTimeout { get; }

    public TimeSpan TotalTimeout { get; }

    public TimeProvider TimeProvider { get; }

    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; }

    /// <summary>The gate the options named; null for the client's own, in its process.</summary>
    public FirecrawlRateLimitGate? RateLimitGate { get; }

    /// <summary>The random source of the back-off's jitter, a number in [0, 1); tests fix it.</summary>
    public Func<double> Jitter { get; }

    /// <summary>Where the default transport reads the machine's proxy from.</summary>
    public Func<System.Net.IWebProxy?> SystemProxy { get; }

    public IReadOnlyList<KeyValuePair<string, string>> DefaultHeaders { get; }

    /// <summary>Checks the options and freezes them, falling back to the environment as documented.</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public static ClientConfiguration Create(FirecrawlClientOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = Validate(options, environment, out string? apiKey, out Uri? baseAddress);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid FirecrawlClientOptions: " + string.Join(" ", errors), nameof(options));
        }

        return new ClientConfiguration(options, apiKey, baseAddress!);
    }

    /// <summary>Lists every problem with the options; an empty list means they are usable.</summary>
    public static List<string> Validate(
        FirecrawlClientOptions options, Func<string, string?>? environment, out string? apiKey, out Uri? baseAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        var errors = new List<string>();

        apiKey = ResolveApiKey(options, environment, errors);
        baseAddress = ResolveBaseAddress(options, environment, errors);
        if (apiKey is not null && baseAddress is not null && baseAddress.Scheme == Uri.UriSchemeHttp
            && !baseAddress.IsLoopback && !options.AllowApiKeyOverPlainHttp)
        {
            errors.Add($"BaseAddress '{Describe(baseAddress)}' is plain http and not loopback, so the API key would cross the network unencrypted. "
                + "Use https, or set AllowApiKeyOverPlainHttp = true for a self-hosted server on a trusted network.");
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

        if (options.TimeProvider is null)
        {
            errors.Add("TimeProvider must not be null; use TimeProvider.System.");
        }

        CheckHeaders(options.DefaultHeaders, errors);

        return errors;
    }

    /// <summary>Shows an address without any user info, which may hold credentials.</summary>
    internal static string Describe(Uri? address) =>
        address switch
        {
            null => "(default)",
            { IsAbsoluteUri: false } => address.OriginalString,
            _ => address.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped),
        };

    private static string? ResolveApiKey(FirecrawlClientOptions options, Func<string, string?> environment, List<string> errors)
    {
        string? key = options.ApiKey;
        string source = "ApiKey";
        if (key is null)
        {
            key = environment(FirecrawlClientOptions.ApiKeyEnvironmentVariable);
            source = FirecrawlClientOptions.ApiKeyEnvironmentVariable;

            // An exported-but-empty variable is common in shells and CI; it means "no key", not a bad key.
            if (string.IsNullOrWhiteSpace(key))
            {
                return null;
            }
        }

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

    private static Uri? ResolveBaseAddress(FirecrawlClientOptions options, Func<string, string?> environment, List<string> errors)
    {
        Uri? address = options.BaseAddress;
        string source = "BaseAddress";
        if (address is null)
        {
            string? fromEnvironment = environment(FirecrawlClientOptions.BaseAddressEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return FirecrawlClientOptions.DefaultBaseAddress;
            }

            source = FirecrawlClientOptions.BaseAddressEnvironmentVariable;
            if (!Uri.TryCreate(fromEnvironment.Trim(), UriKind.Absolute, out address))
            {
                errors.Add($"{source} ('{fromEnvironment}') is not an absolute URL such as https://api.firecrawl.dev or http://localhost:3002.");
                return null;
            }
        }

        if (!address.IsAbsoluteUri)
        {
            errors.Add($"{source} ('{address.OriginalString}') must be an absolute URL such as https://api.firecrawl.dev or http://localhost:3002.");
            return null;
        }

        string shown = Describe(address);
        if (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{source} ('{shown}') must use http or https, not '{address.Scheme}'.");
            return null;
        }

        if (!string.IsNullOrEmpty(address.UserInfo))
        {
            errors.Add($"{source} ('{shown}') must not carry user info; use ApiKey or DefaultHeaders for credentials.");
            return null;
        }

        if (address.Port is < 1 or > 65535 || string.IsNullOrEmpty(address.Host))
        {
            errors.Add($"{source} ('{shown}') must name a host and a port between 1 and 65535.");
            return null;
        }

        if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment))
        {
            errors.Add($"{source} ('{shown}') must not have a query or a fragment.");
            return null;
        }

        return address;
    }

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
            else if (header.Value.AsSpan().IndexOfAnyExcept(HeaderValueChars) >= 0)
            {
                // HttpClient refuses to send these at every attempt; refusing them here names the option instead.
                errors.Add($"DefaultHeaders['{header.Key}'] has a character HttpClient cannot send in a header (only printable ASCII and tab; no line breaks, control characters or non-ASCII such as 'å'). Encode the value, for example as Base64 or percent-encoding.");
            }
        }
    }

    /// <summary>What a header value may hold: printable ASCII and horizontal tab.</summary>
    private static readonly System.Buffers.SearchValues<char> HeaderValueChars =
        System.Buffers.SearchValues.Create("\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>A name as it can be shown in a message: control characters would garble a log line.</summary>
    private static string Printable(string text) => string.Concat(text.Select(static c => char.IsControl(c) ? '?' : c));
}
