namespace Firecrawl.Client;

/// <summary>
/// The facts of one call that the pipeline's steps share: when it started (for the budget), the route it takes and the
/// rate-limit partition it counts against, how many retries it made, and whether any attempt may have reached the server
/// without an answer the client could use. The runner owns it from the first attempt to the mapping of the last; on a
/// retry it travels in Polly's context (<see cref="RetryLoop"/>), and it names no Polly type itself, so the success path
/// never loads Polly.
/// </summary>
internal sealed class CallState(long started, OperationRoute route, FirecrawlGatePartition partition)
{
    /// <summary>The monotonic timestamp at which the call started.</summary>
    public long Started { get; } = started;

    /// <summary>The route in the client's API version (or the one version the route has).</summary>
    public OperationRoute Route { get; } = route;

    /// <summary>The route template, for log messages.</summary>
    public string Path => Route.Path;

    /// <summary>The rate limit the call's attempts fall under: the client's, in the operation's bucket.</summary>
    public FirecrawlGatePartition Partition { get; } = partition;

    public int Retries { get; set; }

    /// <summary>
    /// Whether an attempt may have reached the server and had an effect the client did not see: it ran out of time, or
    /// its connection broke after it was made. A cancel that then fails (a 5xx on the retry included: the newest server
    /// answers a second cancel of a cancelled job 500) is looked up before it is reported (<see cref="OperationRunner"/>).
    /// </summary>
    public bool MayHaveReachedServer { get; set; }
}
