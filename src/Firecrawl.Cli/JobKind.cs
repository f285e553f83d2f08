using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>
/// One kind of job the command can stop, described once: its command noun, its words in messages, its JSON
/// <c>kind</c>, its route, whether the team's running jobs of this kind can be listed, and the SDK calls that cancel
/// it. The commands read this; none of them asks which kind it is, so a third kind is one more entry here.
/// </summary>
internal sealed class JobKind
{
    public static readonly JobKind BatchScrape = new(
        command: "batch-scrape",
        noun: "batch scrape",
        route: "/batch/scrape/{id}",
        listActive: null,
        cancelOne: static async (client, id, token) => await client.CancelBatchScrapeAsync(id, token).ConfigureAwait(false),
        cancelMany: static (client, ids, options, token) => client.CancelBatchScrapesAsync(ids, options, token));

    public static readonly JobKind Crawl = new(
        command: "crawl",
        noun: "crawl",
        route: "/crawl/{id}",
        listActive: static async (client, token) => [.. (await client.GetActiveCrawlsAsync(token).ConfigureAwait(false)).Select(static c => c.Id)],
        cancelOne: static async (client, id, token) => await client.CancelCrawlAsync(id, token).ConfigureAwait(false),
        cancelMany: static (client, ids, options, token) => client.CancelCrawlsAsync(ids, options, token));

    /// <summary>Every kind, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<JobKind> All = [BatchScrape, Crawl];

    private readonly Func<FirecrawlClient, CancellationToken, Task<string[]>>? _listActive;
    private readonly Func<FirecrawlClient, string, CancellationToken, Task<CancelJobResult>> _cancelOne;
    private readonly Func<FirecrawlClient, IEnumerable<string>, BulkCancelOptions, CancellationToken, Task<BulkCancelResult>> _cancelMany;

    private JobKind(
        string command,
        string noun,
        string route,
        Func<FirecrawlClient, CancellationToken, Task<string[]>>? listActive,
        Func<FirecrawlClient, string, CancellationToken, Task<CancelJobResult>> cancelOne,
        Func<FirecrawlClient, IEnumerable<string>, BulkCancelOptions, CancellationToken, Task<BulkCancelResult>> cancelMany)
    {
        Command = command;
        Noun = noun;
        Route = route;
        _listActive = listActive;
        _cancelOne = cancelOne;
        _cancelMany = cancelMany;
    }

    /// <summary>The command noun, and the JSON <c>kind</c>: <c>batch-scrape</c>.</summary>
    public string Command { get; }

    /// <summary>The words in messages: "batch scrape".</summary>
    public string Noun { get; }

    /// <summary>The route under the version prefix, for the help text.</summary>
    public string Route { get; }

    /// <summary>Whether <c>--all-active</c> applies: the server lists running crawls, never batch scrapes.</summary>
    public bool ListsActive => _listActive is not null;

    /// <summary>The ids of the team's running jobs of this kind, for <c>--all-active</c>.</summary>
    public Task<string[]> ListActiveAsync(FirecrawlClient client, CancellationToken cancellationToken) =>
        (_listActive ?? throw new InvalidOperationException($"The server does not list running {Noun} jobs."))(client, cancellationToken);

    /// <summary>The command's one-line description, such as "Batch scrape jobs".</summary>
    public string Description => char.ToUpperInvariant(Noun[0]) + Noun[1..] + " jobs";

    public Task<CancelJobResult> CancelAsync(FirecrawlClient client, string id, CancellationToken cancellationToken) =>
        _cancelOne(client, id, cancellationToken);

    public Task<BulkCancelResult> CancelManyAsync(FirecrawlClient client, IEnumerable<string> ids, BulkCancelOptions options, CancellationToken cancellationToken) =>
        _cancelMany(client, ids, options, cancellationToken);
}
