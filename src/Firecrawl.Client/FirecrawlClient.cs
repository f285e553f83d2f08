namespace Firecrawl.Client;

/// <summary>
/// The Firecrawl client. It is thread-safe and meant to be long-lived: create one per API key and share it, or
/// register it with <c>services.AddFirecrawlClient(...)</c>. Every call retries transient failures; see
/// <see cref="FirecrawlClientOptions"/> for the policy.
/// </summary>
public sealed class FirecrawlClient : IFirecrawlClient, IDisposable
{
    private readonly HttpClient _httpClient;
    private readonly FirecrawlApiClient _client;
    private int _disposed;

    /// <summary>
    /// Creates a client configured from <c>FIRECRAWL_API_KEY</c> and <c>FIRECRAWL_API_URL</c>, with the default
    /// retry and timeout policy. With neither set, it calls the cloud service without a key.
    /// </summary>
    public FirecrawlClient()
        : this(new FirecrawlClientOptions())
    {
    }

    /// <summary>Creates a client for the cloud service (or <c>FIRECRAWL_API_URL</c>) with the given key.</summary>
    /// <param name="apiKey">The Firecrawl API key, <c>fc-...</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is null, empty or whitespace.</exception>
    public FirecrawlClient(string apiKey)
        : this(new FirecrawlClientOptions { ApiKey = RequireKey(apiKey) })
    {
    }

    /// <summary>Creates a client with the given options and the SDK's own connection pool.</summary>
    /// <param name="options">The settings; they are copied, so later changes do not affect this client.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public FirecrawlClient(FirecrawlClientOptions options)
        : this(options, FirecrawlHttp.CreateTransport(), ownsTransport: true)
    {
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="transport"/>, beneath the SDK's own auth and resilience
    /// handlers. Tests pass a stub such as MockHttp's handler here. The client does not dispose the transport.
    /// </summary>
    /// <param name="options">The settings; they are copied, so later changes do not affect this client.</param>
    /// <param name="transport">The innermost handler, which does the actual sending.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public FirecrawlClient(FirecrawlClientOptions options, HttpMessageHandler transport)
        : this(options, transport, ownsTransport: false)
    {
    }

    private FirecrawlClient(FirecrawlClientOptions options, HttpMessageHandler transport, bool ownsTransport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        FirecrawlClientSettings settings = FirecrawlClientSettings.Create(options);
        _httpClient = new HttpClient(FirecrawlHttp.Chain(settings, transport), disposeHandler: ownsTransport);
        settings.ConfigureHttpClient(_httpClient);
        _client = new FirecrawlApiClient(_httpClient, settings);
        BaseAddress = settings.BaseAddress;
    }

    /// <summary>The server this client calls, after falling back to the environment and the default.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _client.CancelBatchScrapeAsync(id, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CancelCrawlResult> CancelCrawlAsync(string id, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _client.CancelCrawlAsync(id, cancellationToken);
    }

    /// <summary>Releases the connection pool, unless the transport was passed in by the caller.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _httpClient.Dispose();
        }
    }

    /// <summary>Names the server, never the key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"FirecrawlClient {{ BaseAddress = {FirecrawlClientSettings.Describe(BaseAddress)} }}";

    private static string RequireKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return apiKey;
    }
}
