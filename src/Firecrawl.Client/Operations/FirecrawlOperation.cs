using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// Everything that sets one API operation apart, in one place: its method and route, the words its messages use,
/// its activity name, how much body it reads, and how an answer becomes its result. The runner, the pipeline,
/// telemetry and the error messages read this description; none of them branches on which operation it is.
/// </summary>
internal abstract class FirecrawlOperation(string name, HttpMethod method, string route, string noun, int maxBodyBytes)
{
    /// <summary>Bodies of error answers are cut at this size for every operation; they are read only for a message.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>A stable name, such as <c>CancelBatchScrape</c>, for telemetry tags.</summary>
    public string Name { get; } = name;

    /// <summary>The name of the activity each call opens; built when a listener asks, so it costs nothing otherwise.</summary>
    public string ActivityName => "Firecrawl." + Name;

    public HttpMethod Method { get; } = method;

    /// <summary>The route under the version prefix, such as <c>/batch/scrape/{id}</c>.</summary>
    public string Route { get; } = route;

    /// <summary>What the operation acts on, for messages: "batch scrape".</summary>
    public string Noun { get; } = noun;

    /// <summary>What the operation does, for messages: "Cancelling".</summary>
    public abstract string Verb { get; }

    /// <summary>Whether the route carries a job id, which is then checked before anything is sent.</summary>
    public bool TakesJobId => Route.Contains("{id}", StringComparison.Ordinal);

    /// <summary>The most body the client reads for a success; a longer body is refused, not parsed.</summary>
    public int MaxBodyBytes { get; } = maxBodyBytes;

    /// <summary>Sends one attempt through the Refit interface, the one place routes are declared.</summary>
    public abstract Task<HttpResponseMessage> SendAsync(IFirecrawlApi api, string id, CancellationToken cancellationToken);

    /// <summary>The opening of every failure message: which operation, on which job, over which route.</summary>
    public string DescribeFailure(string id, ClientConfiguration configuration)
    {
        string shownId = id.Length > 80 ? id[..80] + "..." : id;
        string what = TakesJobId ? $"{Noun} '{shownId}'" : Noun;
        return $"{Verb} {what} ({Method.Method} {configuration.VersionPath}{Route}) failed: ";
    }

    /// <summary>
    /// A 2xx whose body is over the bound: the same exception as any other unreadable 2xx, so one catch handles both;
    /// not retried, since the same answer would come back.
    /// </summary>
    public FirecrawlApiException BodyTooLarge(AttemptResponse response, string id, ClientRuntime runtime, string expected)
    {
        string reason = $"the server answered {(int)response.StatusCode} with a body over {MaxBodyBytes} bytes, which {expected}.";
        return new FirecrawlApiException(
            response.StatusCode,
            ResponseMapper.ParseError(response, runtime),
            DescribeFailure(id, runtime.Configuration) + reason,
            new InvalidDataException(reason));
    }

    /// <summary>A 2xx whose body is not what the operation reads, with what the server did say.</summary>
    public FirecrawlApiException UnreadableBody(AttemptResponse response, string id, ClientRuntime runtime, string expected, JsonException exception)
    {
        FirecrawlError unreadable = ResponseMapper.ParseError(response, runtime);
        return new FirecrawlApiException(
            response.StatusCode,
            unreadable,
            $"{DescribeFailure(id, runtime.Configuration)}the server answered {(int)response.StatusCode} but its body is not {expected}: {unreadable.Message}",
            runtime.Redactor.Scrub(exception));
    }
}

/// <summary>An operation together with how its answer becomes <typeparamref name="TResult"/>.</summary>
internal abstract class FirecrawlOperation<TResult>(string name, HttpMethod method, string route, string noun, int maxBodyBytes)
    : FirecrawlOperation(name, method, route, noun, maxBodyBytes)
{
    /// <summary>Turns a 2xx answer into the result, or throws a <see cref="FirecrawlException"/> when it is not one.</summary>
    public abstract TResult MapSuccess(AttemptResponse response, string id, ClientRuntime runtime);

    /// <summary>An error status that still means the operation reached its end (a 409 "already completed" for a cancel).</summary>
    public abstract bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out TResult result);

    /// <summary>How a successful call ended, as a stable telemetry tag such as <c>cancelled</c>.</summary>
    public abstract string OutcomeTag(TResult result);

    /// <summary>How a successful call ended, in the words of the log events, such as <c>Cancelled</c>.</summary>
    public abstract string OutcomeName(TResult result);
}
