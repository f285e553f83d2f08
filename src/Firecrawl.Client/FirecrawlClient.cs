namespace Firecrawl.Client;

/// <summary>
/// The Firecrawl client. It is thread-safe and meant to be long-lived: create one per API key and share it, or
/// register it with <c>services.AddFirecrawlClient(...)</c>. Every call retries transient failures; see
/// <see cref="FirecrawlClientOptions"/> for the policy.
/// </summary>
/// <remarks>
/// To substitute the client in your own tests, derive from it (or let a mocking library do so) and override the
/// operations you use: every operation is virtual, and the protected constructor builds an instance that sends
/// nothing. New operations arrive as new virtual members, so a fake written today keeps compiling.
/// </remarks>
public class FirecrawlClient : IDisposable
{
    private readonly HttpClient? _httpClient;
    private readonly OperationRunner? _runner;
    private int _disposed;

    /// <summary>Creates a client for the cloud service (or <c>FIRECRAWL_API_URL</c>) with the given key.</summary>
    /// <param name="apiKey">The Firecrawl API key, <c>fc-...</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is null, empty or whitespace.</exception>
    public FirecrawlClient(string apiKey)
        : this(new FirecrawlClientOptions { ApiKey = RequireKey(apiKey) })
    {
    }

    /// <summary>
    /// Creates a client with the given options and the SDK's own connection pool. Unset options fall back to
    /// <c>FIRECRAWL_API_KEY</c> and <c>FIRECRAWL_API_URL</c>, so <c>new FirecrawlClient(new FirecrawlClientOptions())</c>
    /// is configured entirely from the environment.
    /// </summary>
    /// <param name="options">The settings; they are copied, so later changes do not affect this client.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public FirecrawlClient(FirecrawlClientOptions options)
        : this(options, transport: null, ownsTransport: true)
    {
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="transport"/>, beneath the SDK's own auth and resilience.
    /// Tests pass a stub such as MockHttp's handler here. The client does not dispose the transport.
    /// </summary>
    /// <param name="options">The settings; they are copied, so later changes do not affect this client.</param>
    /// <param name="transport">The innermost handler, which does the actual sending.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public FirecrawlClient(FirecrawlClientOptions options, HttpMessageHandler transport)
        : this(options, transport, ownsTransport: false)
    {
    }

    /// <summary>
    /// For mocking only: an instance with no connection, whose operations throw until a derived class overrides them.
    /// </summary>
    protected FirecrawlClient()
    {
        BaseAddress = FirecrawlClientOptions.DefaultBaseAddress;
    }

    private FirecrawlClient(FirecrawlClientOptions options, HttpMessageHandler? transport, bool ownsTransport)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ownsTransport)
        {
            ArgumentNullException.ThrowIfNull(transport);
        }

        // No handler of the user's sits between the SDK and the transport here, so deadline sources may be reused.
        var runtime = new ClientRuntime(ClientConfiguration.Create(options), reuseDeadlines: true);
        transport ??= FirecrawlHttp.CreateTransport(runtime.Configuration);
        _httpClient = new HttpClient(FirecrawlHttp.Chain(runtime.Configuration, transport), disposeHandler: ownsTransport);
        HttpDefaults.Configure(_httpClient, runtime.Configuration);
        _runner = new OperationRunner(_httpClient, runtime);
        BaseAddress = runtime.Configuration.BaseAddress;
    }

    /// <summary>The DI path: the runtime is the registration's, the HTTP client comes from IHttpClientFactory.</summary>
    internal FirecrawlClient(ClientRuntime runtime, HttpClient httpClient)
    {
        _httpClient = httpClient;
        _runner = new OperationRunner(httpClient, runtime);
        BaseAddress = runtime.Configuration.BaseAddress;
    }

    /// <summary>The server this client calls, after falling back to the environment and the default.</summary>
    public virtual Uri BaseAddress { get; }

    /// <summary>
    /// Cancels a batch scrape job (<c>DELETE /v1/batch/scrape/{id}</c>). Cancel is idempotent on the server, so the
    /// call is retried on transient failures.
    /// </summary>
    /// <param name="id">The job id returned when the batch scrape was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(FirecrawlOperations.CancelBatchScrape, id, cancellationToken);

    /// <summary>
    /// Cancels a crawl job (<c>DELETE /v1/crawl/{id}</c>). The server handles it with the same controller as
    /// <see cref="CancelBatchScrapeAsync"/>, so it answers and is retried the same way.
    /// </summary>
    /// <param name="id">The job id returned when the crawl was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelCrawlResult> CancelCrawlAsync(string id, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(FirecrawlOperations.CancelCrawl, id, cancellationToken);

    /// <summary>
    /// Lists the team's crawls that are neither cancelled nor finished (<c>GET /v1/crawl/active</c>). The server lists
    /// crawls only, never batch scrapes.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The active crawls, oldest first as the server orders them.</returns>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<IReadOnlyList<ActiveCrawl>> GetActiveCrawlsAsync(CancellationToken cancellationToken = default) =>
        Runner.RunAsync(FirecrawlOperations.GetActiveCrawls, string.Empty, cancellationToken);

    /// <summary>
    /// Cancels many batch scrapes, a few at a time (<see cref="BulkCancelOptions.MaxConcurrency"/>), at the pace of
    /// Firecrawl's rate limit: every call shares this client's rate-limit gate, and a job whose call ends rate-limited
    /// is sent again once the window reopens, so the limit fails no job. Each job's ending is reported on its own: a
    /// partial failure never throws, an invalid id fails that job only, and a repeated id is cancelled once.
    /// </summary>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">
    /// Stops new sends and ends the calls in flight; the result then says <see cref="BulkCancelResult.Interrupted"/>.
    /// </param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelBatchScrapesAsync(IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, CancelBatchScrapeAsync, options, _runner?.Runtime, _runner?.Runtime.Clock ?? TimeProvider.System, cancellationToken);

    /// <summary>
    /// Cancels many crawls, as <see cref="CancelBatchScrapesAsync"/> cancels batch scrapes.
    /// </summary>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelCrawlsAsync(IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, CancelCrawlAsync, options, _runner?.Runtime, _runner?.Runtime.Clock ?? TimeProvider.System, cancellationToken);

    /// <summary>
    /// The kill switch: lists the team's active crawls, then cancels them all as <see cref="CancelCrawlsAsync"/> does.
    /// </summary>
    /// <param name="options">Concurrency and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>How each crawl ended.</returns>
    /// <exception cref="FirecrawlException">The list could not be read; nothing was cancelled.</exception>
    public virtual async Task<BulkCancelResult> CancelActiveCrawlsAsync(BulkCancelOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ActiveCrawl> active = await GetActiveCrawlsAsync(cancellationToken).ConfigureAwait(false);
        return await CancelCrawlsAsync(active.Select(static crawl => crawl.Id), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the connection pool, unless the transport was passed in by the caller. Calls still in flight end at once
    /// with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Names the server, never the key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"FirecrawlClient {{ BaseAddress = {ClientConfiguration.Describe(BaseAddress)} }}";

    /// <summary>Releases the HTTP client; derived fakes that hold resources override it.</summary>
    /// <param name="disposing">Whether this is <see cref="Dispose()"/> rather than a finalizer.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The runner first, so a call that fails because its HttpClient went away is reported as disposed.
            _runner?.Dispose();
            _httpClient?.Dispose();
        }
    }

    internal OperationRunner Runner
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _runner ?? throw new InvalidOperationException(
                "This FirecrawlClient was created with the protected constructor, for mocking; override the operations your test uses.");
        }
    }

    private static string RequireKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return apiKey;
    }
}
