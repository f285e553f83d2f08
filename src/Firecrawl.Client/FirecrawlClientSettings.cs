using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Refit;

namespace Firecrawl.Client;

/// <summary>
/// The options of one client (or one DI registration), checked and frozen. Everything that can be computed once per
/// client is computed here, so no call pays for it.
/// </summary>
internal sealed class FirecrawlClientSettings
{
    /// <summary>Error bodies past this are cut; a success body past it is refused.</summary>
    internal const int MaxResponseBodyBytes = 64 * 1024;

    internal static readonly string UserAgent = BuildUserAgent();

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    private FirecrawlClientSettings(FirecrawlClientOptions options, string? apiKey, Uri baseAddress, ILoggerFactory? loggerFactory)
    {
        Logger = (options.LoggerFactory ?? loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(FirecrawlDiagnostics.LoggerCategory);
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
        DefaultHeaders = options.DefaultHeaders.ToArray();
        RefitSettings = CreateRefitSettings();
        RateLimitGate = new RateLimitGate(options.TimeProvider);
        Pipeline = FirecrawlResiliencePipeline.Create(this);
    }

    public string? ApiKey { get; }

    public ILogger Logger { get; }

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

    public IReadOnlyList<KeyValuePair<string, string>> DefaultHeaders { get; }

    public RefitSettings RefitSettings { get; }

    /// <summary>Shared by every call of this client (or DI registration), so one 429 hint holds back all of them.</summary>
    public RateLimitGate RateLimitGate { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Checks the options and freezes them, falling back to the environment as documented.</summary>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public static FirecrawlClientSettings Create(
        FirecrawlClientOptions options, Func<string, string?>? environment = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = Validate(options, environment, out string? apiKey, out Uri? baseAddress);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid FirecrawlClientOptions: " + string.Join(" ", errors), nameof(options));
        }

        return new FirecrawlClientSettings(options, apiKey, baseAddress!, loggerFactory);
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

        if (options.DefaultHeaders is null)
        {
            errors.Add("DefaultHeaders must not be null.");
        }
        else
        {
            CheckHeaders(options.DefaultHeaders, errors);
        }

        return errors;
    }

    /// <summary>Applies what every request of this client carries; the same for the plain and the DI path.</summary>
    public void ConfigureHttpClient(HttpClient client)
    {
        client.BaseAddress = VersionedBaseAddress;

        // The resilience pipeline owns every time limit; HttpClient's own 100 s limit would cut a legitimate wait.
        client.Timeout = Timeout.InfiniteTimeSpan;
        // Raw strings, not parsed header objects: HttpClient copies default headers into every request, and a raw
        // value is copied by reference while a parsed one is cloned.
        HttpRequestHeaders headers = client.DefaultRequestHeaders;
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (KeyValuePair<string, string> header in DefaultHeaders)
        {
            headers.Remove(header.Key);
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }
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
        using var probe = new HttpRequestMessage();
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("DefaultHeaders must not contain Authorization; set ApiKey instead.");
            }
            else if (string.IsNullOrWhiteSpace(header.Key) || header.Value is null
                || header.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0
                || !probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                errors.Add($"DefaultHeaders entry '{header.Key}' is not a valid request header name and value.");
            }
        }
    }

    private static RefitSettings CreateRefitSettings()
    {
        RefitSettings settings = RefitSettings.ForJsonContext(FirecrawlJsonContext.Default);

        // The client maps transport failures itself; Refit's wrapper type must not reach callers.
        settings.TransportExceptionFactory = static (_, exception, _) => exception;
        return settings;
    }

    private static string BuildUserAgent()
    {
        string version = typeof(FirecrawlClientSettings).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        string runtime = RuntimeInformation.FrameworkDescription;
        return string.Create(CultureInfo.InvariantCulture, $"Firecrawl.Client/{version} ({runtime})");
    }
}
