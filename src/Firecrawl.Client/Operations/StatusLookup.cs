using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// How a call that failed ambiguously is settled by looking: which status to read, and what that status makes of the
/// call. A cancel whose last attempt may have reached the server (a timeout, a connection cut after it was made, a 5xx
/// after either) is not reported as failed for a job that stopped, nor as cancelled for one that did not.
/// </summary>
internal sealed class StatusLookup<TResult>(JobStatusOperation status, Func<FirecrawlJobStatus, TResult?> decide)
{
    /// <summary>The status read.</summary>
    public JobStatusOperation Status { get; } = status;

    /// <summary>The call's result from the status, or null when the status leaves the failure standing (the job runs on).</summary>
    public Func<FirecrawlJobStatus, TResult?> Decide { get; } = decide;
}

/// <summary>Which failures a look can settle, and how long a look may take.</summary>
internal static class StatusLookup
{
    /// <summary>
    /// The most a look may take (less when attempts are bounded tighter): a status answers in well under a second, and a
    /// server that does not answer should not make a failed cancel take twice as long to report.
    /// </summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A failure that says nothing certain about the job: a timeout, the network, a 5xx, 408 or 429. A 4xx answer such as
    /// 404 or 403 is the server's word about the job, and stands.
    /// </summary>
    public static bool MayResolve(FirecrawlException failure) =>
        failure is not FirecrawlApiException api
        || (int)api.StatusCode >= 500
        || api.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
