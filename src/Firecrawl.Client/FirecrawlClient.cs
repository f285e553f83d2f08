namespace Firecrawl.Client;

// Each cancel has a form that waits (JobWaitUntil first) beside the one that does not; both end with an optional token, as
// the Azure SDK's long-running operations do. Their first parameters differ in type, so no call can be ambiguous.
#pragma warning disable RS0026

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
    /// call is retried on transient failures; a failure after an attempt that may have reached the server is looked up
    /// (a status read) before it is reported, so a job that stopped is never reported as a failure.
    /// </summary>
    /// <param name="id">The job id returned when the batch scrape was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default) =>
        Runner.RunAsync<CancelJobResult, CancelBatchScrapeResult>(FirecrawlJobKind.BatchScrape.CancelOperation, id, cancellationToken);

    /// <summary>
    /// Cancels a batch scrape job and, with <see cref="JobWaitUntil.Settled"/>, waits until it has gone quiet: the result's
    /// <see cref="CancelJobResult.Settlement"/> then says what it came to (pages, credits, the time it took).
    /// </summary>
    /// <param name="waitUntil">When to return: once the server accepted the cancel, or once the job settled.</param>
    /// <param name="id">The job id returned when the batch scrape was started.</param>
    /// <param name="cancellationToken">Stops waiting, the settling included.</param>
    /// <returns>Whether the job was cancelled now or had already completed, and how it settled.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The cancel failed; a job that does not settle in time is a result, not an exception.</exception>
    public virtual async Task<CancelBatchScrapeResult> CancelBatchScrapeAsync(JobWaitUntil waitUntil, string id, CancellationToken cancellationToken = default) =>
        await SettleIfAskedAsync(waitUntil, FirecrawlJobKind.BatchScrape, await CancelBatchScrapeAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Cancels a crawl job (<c>DELETE /v1/crawl/{id}</c>). The server handles it with the same controller as
    /// <see cref="CancelBatchScrapeAsync(string, CancellationToken)"/>, so it answers and is retried the same way.
    /// </summary>
    /// <param name="id">The job id returned when the crawl was started.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelCrawlResult> CancelCrawlAsync(string id, CancellationToken cancellationToken = default) =>
        Runner.RunAsync<CancelJobResult, CancelCrawlResult>(FirecrawlJobKind.Crawl.CancelOperation, id, cancellationToken);

    /// <summary>Cancels a crawl job and, with <see cref="JobWaitUntil.Settled"/>, waits until it has gone quiet.</summary>
    /// <param name="waitUntil">When to return: once the server accepted the cancel, or once the job settled.</param>
    /// <param name="id">The job id returned when the crawl was started.</param>
    /// <param name="cancellationToken">Stops waiting, the settling included.</param>
    /// <returns>Whether the job was cancelled now or had already completed, and how it settled.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The cancel failed; a job that does not settle in time is a result, not an exception.</exception>
    public virtual async Task<CancelCrawlResult> CancelCrawlAsync(JobWaitUntil waitUntil, string id, CancellationToken cancellationToken = default) =>
        await SettleIfAskedAsync(waitUntil, FirecrawlJobKind.Crawl, await CancelCrawlAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Cancels a FIRE-1 agent job (<c>DELETE /v2/agent/{id}</c>, on v2 whatever <see cref="FirecrawlClientOptions.ApiVersion"/>
    /// says: agent jobs have no v1 route). "Agent is already cancelled" is <see cref="CancelOutcome.Cancelled"/>, so the
    /// cancel stays idempotent; "Agent already finished" is <see cref="CancelOutcome.AlreadyCompleted"/>. It counts against
    /// the server's <c>extractStatus</c> bucket, so its 429s do not hold crawl cancels back.
    /// </summary>
    /// <param name="id">The agent job's id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already finished.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelAgentResult> CancelAgentAsync(string id, CancellationToken cancellationToken = default) =>
        Runner.RunAsync<CancelJobResult, CancelAgentResult>(FirecrawlJobKind.Agent.CancelOperation, id, cancellationToken);

    /// <summary>Cancels an agent job and, with <see cref="JobWaitUntil.Settled"/>, waits until it has gone quiet.</summary>
    /// <param name="waitUntil">When to return: once the server accepted the cancel, or once the job settled.</param>
    /// <param name="id">The agent job's id.</param>
    /// <param name="cancellationToken">Stops waiting, the settling included.</param>
    /// <returns>Whether the job was cancelled now or had already finished, and how it settled.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The cancel failed; a job that does not settle in time is a result, not an exception.</exception>
    public virtual async Task<CancelAgentResult> CancelAgentAsync(JobWaitUntil waitUntil, string id, CancellationToken cancellationToken = default) =>
        await SettleIfAskedAsync(waitUntil, FirecrawlJobKind.Agent, await CancelAgentAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Cancels a job of any kind, as its own method does (<see cref="CancelBatchScrapeAsync(string, CancellationToken)"/>
    /// and so on); the result is of the kind's own type.
    /// </summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>Whether the job was cancelled now or had already completed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<CancelJobResult> CancelJobAsync(FirecrawlJobKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Runner.RunAsync(kind.CancelOperation, id, cancellationToken);
    }

    /// <summary>Cancels a job of any kind and, with <see cref="JobWaitUntil.Settled"/>, waits until it has gone quiet.</summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="waitUntil">When to return: once the server accepted the cancel, or once the job settled.</param>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops waiting, the settling included.</param>
    /// <returns>Whether the job was cancelled now or had already completed, and how it settled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The cancel failed; a job that does not settle in time is a result, not an exception.</exception>
    public virtual async Task<CancelJobResult> CancelJobAsync(FirecrawlJobKind kind, JobWaitUntil waitUntil, string id, CancellationToken cancellationToken = default) =>
        await SettleIfAskedAsync(waitUntil, kind, await CancelJobAsync(kind, id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reads a batch scrape's status (<c>GET /v1/batch/scrape/{id}</c>): the first page's figures only, never its
    /// documents and never its <c>next</c> link. Retried, timed, gated and reported like a cancel, in the same rate-limit
    /// bucket.
    /// </summary>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The status, pages completed and in all, credits used and expiry.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<FirecrawlJobStatus> GetBatchScrapeStatusAsync(string id, CancellationToken cancellationToken = default) =>
        GetJobStatusAsync(FirecrawlJobKind.BatchScrape, id, cancellationToken);

    /// <summary>Reads a crawl's status (<c>GET /v1/crawl/{id}</c>), as <see cref="GetBatchScrapeStatusAsync"/> reads a batch scrape's.</summary>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The status, pages completed and in all, credits used and expiry.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<FirecrawlJobStatus> GetCrawlStatusAsync(string id, CancellationToken cancellationToken = default) =>
        GetJobStatusAsync(FirecrawlJobKind.Crawl, id, cancellationToken);

    /// <summary>
    /// Reads an agent job's status (<c>GET /v2/agent/{id}</c>): <c>processing</c>, <c>completed</c> or <c>failed</c>; a
    /// cancelled agent job reads <c>failed</c> with an error about the cancel, which <see cref="FirecrawlJobStatus.State"/>
    /// reports as <see cref="FirecrawlJobState.Cancelled"/>.
    /// </summary>
    /// <param name="id">The agent job's id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The status, its error when it failed, credits used and expiry.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<FirecrawlJobStatus> GetAgentStatusAsync(string id, CancellationToken cancellationToken = default) =>
        GetJobStatusAsync(FirecrawlJobKind.Agent, id, cancellationToken);

    /// <summary>Reads the status of a job of any kind.</summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<FirecrawlJobStatus> GetJobStatusAsync(FirecrawlJobKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Runner.RunAsync(kind.StatusOperation, id, cancellationToken);
    }

    /// <summary>
    /// Waits until a job has settled: its status is final, and its pages completed and credits used have not moved for
    /// <see cref="FirecrawlClientOptions.SettleInterval"/>, reading its status with back-off at the pace of the rate limit,
    /// for at most <see cref="FirecrawlClientOptions.SettleTimeout"/>. Use it for a job cancelled earlier, or elsewhere.
    /// </summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>Whether it settled, its final figures and how long that took; one that did not settle in time says why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or is not a single path segment.</exception>
    public virtual Task<JobSettlement> WaitForSettledAsync(FirecrawlJobKind kind, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        JobIdValidator.ThrowIfInvalid(id);
        return JobSettler.SettleAsync(Runner, kind, id, cancellationToken);
    }

    /// <summary>
    /// Lists the team's crawls that are neither cancelled nor finished (<c>GET /v1/crawl/active</c>). The server lists
    /// crawls only, never batch scrapes or agent jobs.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting, including during a back-off delay.</param>
    /// <returns>The active crawls, oldest first as the server orders them.</returns>
    /// <exception cref="FirecrawlException">The call failed; see the subclasses for the cases.</exception>
    public virtual Task<IReadOnlyList<ActiveCrawl>> GetActiveCrawlsAsync(CancellationToken cancellationToken = default) =>
        Runner.RunAsync(ActiveCrawlsOperation.Instance, string.Empty, cancellationToken);

    /// <summary>
    /// Cancels many batch scrapes, a few at a time (<see cref="BulkCancelOptions.MaxConcurrency"/>), at the pace of
    /// Firecrawl's rate limit: every call shares this client's rate-limit gate, and a job whose call ends rate-limited
    /// is sent again once the window reopens, so the limit fails no job. Each job's ending is reported on its own: a
    /// partial failure never throws, an invalid id fails that job only, and a repeated id is cancelled once. With
    /// <see cref="BulkCancelOptions.WaitUntil"/> set to <see cref="JobWaitUntil.Settled"/>, each job is also waited for
    /// until it settles.
    /// </summary>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">
    /// Stops new sends and ends the calls in flight; the result then says <see cref="BulkCancelResult.Interrupted"/>.
    /// </param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelBatchScrapesAsync(IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, (id, token) => CancelBatchScrapeAsync(id, token), (id, token) => WaitForSettledAsync(FirecrawlJobKind.BatchScrape, id, token), FirecrawlJobKind.BatchScrape, options, _runner?.Runtime, cancellationToken);

    /// <summary>Cancels many crawls, as <see cref="CancelBatchScrapesAsync"/> cancels batch scrapes.</summary>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelCrawlsAsync(IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, (id, token) => CancelCrawlAsync(id, token), (id, token) => WaitForSettledAsync(FirecrawlJobKind.Crawl, id, token), FirecrawlJobKind.Crawl, options, _runner?.Runtime, cancellationToken);

    /// <summary>Cancels many agent jobs, as <see cref="CancelBatchScrapesAsync"/> cancels batch scrapes, in the agent's own rate-limit bucket.</summary>
    /// <param name="ids">The agent job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelAgentsAsync(IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, (id, token) => CancelAgentAsync(id, token), (id, token) => WaitForSettledAsync(FirecrawlJobKind.Agent, id, token), FirecrawlJobKind.Agent, options, _runner?.Runtime, cancellationToken);

    /// <summary>Cancels many jobs of any kind, as <see cref="CancelBatchScrapesAsync"/> cancels batch scrapes.</summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>How each job ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> or <paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual Task<BulkCancelResult> CancelJobsAsync(FirecrawlJobKind kind, IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return BulkCanceller.RunAsync(ids, (id, token) => CancelJobAsync(kind, id, token), (id, token) => WaitForSettledAsync(kind, id, token), kind, options, _runner?.Runtime, cancellationToken);
    }

    /// <summary>
    /// Cancels many jobs of any kind, as <see cref="CancelJobsAsync"/> does, and yields each job as it ends, in the order
    /// they end, without keeping any: the memory a run holds is what the calls in flight need, and a 128-bit hash of each
    /// distinct id so that a repeated id is cancelled once (about 28 bytes an id: 28 MB for a million). Ids are read lazily
    /// as workers become free. Your token stops new sends and ends the calls in flight, whose jobs are still yielded (their
    /// <see cref="JobCancellation.Error"/> is the cancellation), and then the stream ends; leaving the <c>await foreach</c>
    /// early ends the calls in flight and reads no more ids.
    /// </summary>
    /// <param name="kind">The kind of job.</param>
    /// <param name="ids">The job ids, read lazily as workers become free.</param>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops new sends and ends the calls in flight.</param>
    /// <returns>Each job's ending, as it ends.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kind"/> or <paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The concurrency is not between 1 and 1000.</exception>
    public virtual IAsyncEnumerable<JobCancellation> CancelJobsStreamingAsync(FirecrawlJobKind kind, IEnumerable<string> ids, BulkCancelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        options = BulkCanceller.Check(ids, options);
        return BulkCanceller.StreamAsync(ids, (id, token) => CancelJobAsync(kind, id, token), (id, token) => WaitForSettledAsync(kind, id, token), kind, options, _runner?.Runtime, cancellationToken);
    }

    /// <summary>
    /// The kill switch: lists the team's active crawls, then cancels them all as <see cref="CancelCrawlsAsync"/> does
    /// (and waits for each to settle when <see cref="BulkCancelOptions.WaitUntil"/> says so).
    /// </summary>
    /// <param name="options">Concurrency, waiting and progress; <see langword="null"/> for the defaults.</param>
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

    /// <summary>The cancel's result, with how the job settled when the caller asked to wait for that.</summary>
    private async Task<TResult> SettleIfAskedAsync<TResult>(JobWaitUntil waitUntil, FirecrawlJobKind kind, TResult result, CancellationToken cancellationToken)
        where TResult : CancelJobResult
    {
        if (waitUntil != JobWaitUntil.Settled)
        {
            return result;
        }

        JobSettlement settlement = await JobSettler.SettleAsync(Runner, kind, result.JobId, cancellationToken).ConfigureAwait(false);
        return (TResult)(result with { Settlement = settlement });
    }

    private static string RequireKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return apiKey;
    }
}
