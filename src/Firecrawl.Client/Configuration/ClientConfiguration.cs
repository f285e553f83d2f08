namespace Firecrawl.Client;

/// <summary>
/// The options of one client (or one DI registration), frozen once <see cref="OptionChecks"/> has found them usable,
/// with the key and the address <see cref="EnvironmentFallback"/> chose. It holds values only; what acts on them
/// (pipeline, gate, logger, redactor) is <see cref="ClientRuntime"/>.
/// </summary>
internal sealed class ClientConfiguration
{
    private ClientConfiguration(FirecrawlClientOptions options, string? apiKey, Uri baseAddress)
    {
        ApiKey = apiKey;
        BaseAddress = baseAddress;
        ApiVersion = options.ApiVersion;
        RouteBaseAddress = new Uri(baseAddress.AbsoluteUri.TrimEnd('/'));
        MaxRetries = options.MaxRetries;
        RetryBaseDelay = options.RetryBaseDelay;
        RetryMaxDelay = options.RetryMaxDelay;
        MaxRetryAfter = options.MaxRetryAfter;
        AttemptTimeout = options.AttemptTimeout;
        TotalTimeout = options.TotalTimeout;
        SettleInterval = options.SettleInterval;
        SettleTimeout = options.SettleTimeout;
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory;
        RateLimitGate = options.RateLimitGate;
        WaitObserver = options.WaitObserver;
        Jitter = options.Jitter;
        SystemProxy = options.SystemProxy;
        DefaultHeaders = [.. options.DefaultHeaders];
    }

    public string? ApiKey { get; }

    public Uri BaseAddress { get; }

    public FirecrawlApiVersion ApiVersion { get; }


    /// <summary>The base without a trailing slash; Refit appends each route, version included, to its path.</summary>
    public Uri RouteBaseAddress { get; }

    public int MaxRetries { get; }

    public TimeSpan RetryBaseDelay { get; }

    public TimeSpan RetryMaxDelay { get; }

    public TimeSpan MaxRetryAfter { get; }

    public TimeSpan AttemptTimeout { get; }

    public TimeSpan TotalTimeout { get; }

    public TimeSpan SettleInterval { get; }

    public TimeSpan SettleTimeout { get; }

    public TimeProvider TimeProvider { get; }

    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; }

    /// <summary>The gate the options named; null for the client's own, in its process.</summary>
    public FirecrawlRateLimitGate? RateLimitGate { get; }

    /// <summary>Told of every wait as it begins; null when nobody asked.</summary>
    public IProgress<FirecrawlWait>? WaitObserver { get; }

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
        List<string> errors = OptionChecks.Validate(options, environment, out string? apiKey, out Uri? baseAddress);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid FirecrawlClientOptions: " + string.Join(" ", errors), nameof(options));
        }

        return new ClientConfiguration(options, apiKey, baseAddress!);
    }

    /// <summary>Shows an address without any user info, which may hold credentials.</summary>
    internal static string Describe(Uri? address) =>
        address switch
        {
            null => "(default)",
            { IsAbsoluteUri: false } => address.OriginalString,
            _ => address.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped),
        };

}
