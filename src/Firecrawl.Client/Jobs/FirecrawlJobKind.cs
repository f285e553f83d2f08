using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// A kind of Firecrawl job that can be stopped: batch scrape, crawl or agent. Each is described once, here: its words,
/// its routes and the API versions that have them (declared on the client's Refit interface), the server's rate-limit
/// bucket it counts against, and what its answers mean. The client, the <c>firecrawl</c> command and the emulator all
/// read these descriptions, so an operation that takes a kind (<see cref="FirecrawlClient.CancelJobAsync(FirecrawlJobKind, string, CancellationToken)"/>)
/// works for every kind the same way.
/// </summary>
public sealed class FirecrawlJobKind
{
    /// <summary>The server's rate-limit bucket for crawl and batch-scrape cancels, status reads and active lists.</summary>
    public const string CrawlStatusBucket = "crawlStatus";

    /// <summary>The server's rate-limit bucket for agent (and extract) cancels and status reads.</summary>
    public const string ExtractStatusBucket = "extractStatus";

    private CancelOperation? _cancel;
    private JobStatusOperation? _status;

    private FirecrawlJobKind(
        string name, string noun, string bucket, bool listsActive, bool countsPages, OperationRoutes cancel, OperationRoutes status,
        Func<string, CancelOutcome, string?, CancelJobResult> createResult, (string Says, CancelOutcome Outcome)[] refusals, bool cancelledReadsAsFailed = false)
    {
        Refusals = refusals;
        CancelledReadsAsFailed = cancelledReadsAsFailed;
        CreateResult = createResult;
        CountsPages = countsPages;
        Name = name;
        Noun = noun;
        RateLimitBucket = bucket;
        ListsActive = listsActive;
        CancelRoutes = cancel;
        StatusRoutes = status;
    }

    /// <summary>Batch scrapes: <c>/v1|v2/batch/scrape/{id}</c>, in the <c>crawlStatus</c> bucket.</summary>
    public static FirecrawlJobKind BatchScrape { get; } = new(
        "batch-scrape",
        "batch scrape",
        CrawlStatusBucket,
        listsActive: false,
        countsPages: true,
        new OperationRoutes(
            new(FirecrawlApiVersion.V1, nameof(IFirecrawlApi.CancelBatchScrapeV1Async), static (api, id, token) => api.CancelBatchScrapeV1Async(id, token)),
            new(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.CancelBatchScrapeV2Async), static (api, id, token) => api.CancelBatchScrapeV2Async(id, token))),
        new OperationRoutes(
            new(FirecrawlApiVersion.V1, nameof(IFirecrawlApi.GetBatchScrapeStatusV1Async), static (api, id, token) => api.GetBatchScrapeStatusV1Async(id, token)),
            new(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.GetBatchScrapeStatusV2Async), static (api, id, token) => api.GetBatchScrapeStatusV2Async(id, token))),
        static (id, outcome, message) => new CancelBatchScrapeResult { JobId = id, Outcome = outcome, Message = message },
        [("already completed", CancelOutcome.AlreadyCompleted)]);

    /// <summary>Crawls: <c>/v1|v2/crawl/{id}</c>, in the <c>crawlStatus</c> bucket; the server lists a team's running ones.</summary>
    public static FirecrawlJobKind Crawl { get; } = new(
        "crawl",
        "crawl",
        CrawlStatusBucket,
        listsActive: true,
        countsPages: true,
        new OperationRoutes(
            new(FirecrawlApiVersion.V1, nameof(IFirecrawlApi.CancelCrawlV1Async), static (api, id, token) => api.CancelCrawlV1Async(id, token)),
            new(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.CancelCrawlV2Async), static (api, id, token) => api.CancelCrawlV2Async(id, token))),
        new OperationRoutes(
            new(FirecrawlApiVersion.V1, nameof(IFirecrawlApi.GetCrawlStatusV1Async), static (api, id, token) => api.GetCrawlStatusV1Async(id, token)),
            new(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.GetCrawlStatusV2Async), static (api, id, token) => api.GetCrawlStatusV2Async(id, token))),
        static (id, outcome, message) => new CancelCrawlResult { JobId = id, Outcome = outcome, Message = message },
        [("already completed", CancelOutcome.AlreadyCompleted)]);

    /// <summary>
    /// FIRE-1 agent jobs: <c>/v2/agent/{id}</c> only (a client set to v1 still uses v2 for them), in the
    /// <c>extractStatus</c> bucket, so a 429 on an agent cancel does not hold crawl cancels back, nor the other way round.
    /// </summary>
    public static FirecrawlJobKind Agent { get; } = new(
        "agent",
        "agent job",
        ExtractStatusBucket,
        listsActive: false,
        countsPages: false,
        new OperationRoutes(new OperationRoute(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.CancelAgentV2Async), static (api, id, token) => api.CancelAgentV2Async(id, token))),
        new OperationRoutes(new OperationRoute(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.GetAgentStatusV2Async), static (api, id, token) => api.GetAgentStatusV2Async(id, token))),
        static (id, outcome, message) => new CancelAgentResult { JobId = id, Outcome = outcome, Message = message },
        [("already cancelled", CancelOutcome.Cancelled), ("already finished", CancelOutcome.AlreadyCompleted)],
        cancelledReadsAsFailed: true);

    /// <summary>Every kind, in the order the command line lists them.</summary>
    public static IReadOnlyList<FirecrawlJobKind> All { get; } = [BatchScrape, Crawl, Agent];

    /// <summary>The kind's name, as the command line's noun and the JSON <c>kind</c>: <c>batch-scrape</c>, <c>crawl</c>, <c>agent</c>.</summary>
    public string Name { get; }

    /// <summary>The kind in messages: "batch scrape", "crawl", "agent job".</summary>
    public string Noun { get; }

    /// <summary>
    /// The server's rate-limit bucket the kind's cancels and status reads count against
    /// (<see cref="CrawlStatusBucket"/> or <see cref="ExtractStatusBucket"/>): the client keeps one gate per bucket.
    /// </summary>
    public string RateLimitBucket { get; }

    /// <summary>Whether the server lists a team's running jobs of this kind (crawls only: <c>GET /crawl/active</c>).</summary>
    public bool ListsActive { get; }

    /// <summary>The API versions that have this kind's routes.</summary>
    public IReadOnlyList<FirecrawlApiVersion> ApiVersions => CancelRoutes.Versions;

    /// <summary>The kind's route under the version prefix, such as <c>/batch/scrape/{id}</c>: a <c>DELETE</c> cancels, a <c>GET</c> reads the status.</summary>
    public string Route => CancelRoutes.PathWithoutVersion;

    /// <summary>The kind's cancel route in each version.</summary>
    internal OperationRoutes CancelRoutes { get; }

    /// <summary>The kind's status route in each version.</summary>
    internal OperationRoutes StatusRoutes { get; }

    /// <summary>Whether its status counts pages (<c>completed</c>, <c>total</c>): crawls and batch scrapes do, agent jobs do not.</summary>
    internal bool CountsPages { get; }

    /// <summary>Its result, of the kind's own type (<see cref="CancelBatchScrapeResult"/> and so on).</summary>
    internal Func<string, CancelOutcome, string?, CancelJobResult> CreateResult { get; }

    /// <summary>The name in the operations' names, such as <c>BatchScrape</c> in <c>CancelBatchScrape</c>.</summary>
    internal string OperationName
    {
        get
        {
            // A loop, not Split and LINQ: the first call of every process reaches this, and their JIT cost more than the work.
            var name = new System.Text.StringBuilder(Name.Length);
            bool wordStarts = true;
            foreach (char c in Name)
            {
                if (c == '-')
                {
                    wordStarts = true;
                    continue;
                }

                name.Append(wordStarts ? char.ToUpperInvariant(c) : c);
                wordStarts = false;
            }

            return name.ToString();
        }
    }

    /// <summary>Its cancel, as the client runs it; made when first used.</summary>
    internal CancelOperation CancelOperation => _cancel ??= new CancelOperation(this);

    /// <summary>Its status read, as the client runs it; made when first used.</summary>
    internal JobStatusOperation StatusOperation => _status ??= new JobStatusOperation(this);

    /// <summary>The kind's name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>
    /// The 409s of a cancel that still mean the job is not running, by what their text says: a newer server's "Crawl is
    /// already completed"; for an agent job "Agent already finished" (it had ended) and "Agent is already cancelled" (a
    /// cancel that already happened, so the cancel stays idempotent).
    /// </summary>
    internal IReadOnlyList<(string Says, CancelOutcome Outcome)> Refusals { get; }

    /// <summary>Whether a cancelled job's status reads <c>failed</c> with an error about the cancel, as an agent job's does.</summary>
    internal bool CancelledReadsAsFailed { get; }

    /// <summary>The outcome a 409 means, by its text; <see langword="null"/> for any other answer.</summary>
    internal CancelOutcome? OutcomeOfRefusal(HttpStatusCode status, string message)
    {
        if (status != HttpStatusCode.Conflict)
        {
            return null;
        }

        foreach ((string says, CancelOutcome outcome) in Refusals)
        {
            if (message.Contains(says, StringComparison.OrdinalIgnoreCase))
            {
                return outcome;
            }
        }

        return null;
    }

    /// <summary>
    /// The state a status word means. Crawls and batch scrapes say <c>scraping</c>, <c>completed</c> or <c>cancelled</c>;
    /// agent jobs say <c>processing</c>, <c>completed</c> or <c>failed</c>, and a cancelled one reads <c>failed</c> with an
    /// error about the cancel (a newer one may say <c>cancelled</c>). Any word not known is a job still running, so a
    /// wait goes on rather than stopping early.
    /// </summary>
    internal FirecrawlJobState StateOf(string status, string? error) => status.ToLowerInvariant() switch
    {
        "completed" => FirecrawlJobState.Completed,
        "cancelled" or "canceled" => FirecrawlJobState.Cancelled,
        "failed" when CancelledReadsAsFailed && error is not null && error.Contains("cancel", StringComparison.OrdinalIgnoreCase) => FirecrawlJobState.Cancelled,
        "failed" => FirecrawlJobState.Failed,
        _ => FirecrawlJobState.Running,
    };
}
