using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// Everything that sets one API operation apart, in one place: the words its messages use, its activity name, the
/// rate-limit bucket it counts against, how much body it reads, and how an answer becomes its result. Its HTTP method
/// and route in each version are not written here but read from its methods on <see cref="IFirecrawlApi"/>, the one
/// declaration of every route (<see cref="OperationRoutes"/>). The runner, the attempt, telemetry and the error messages
/// read this description; none of them branches on which operation it is.
/// </summary>
internal abstract class FirecrawlOperation(string name, string noun, string bucket, OperationRoutes routes, int maxSuccessBodyBytes, int maxErrorBodyBytes)
{
    /// <summary>The bound on an error answer's body unless an operation says otherwise: it is read only for a message.</summary>
    public const int DefaultMaxErrorBodyBytes = 64 * 1024;

    /// <summary>A stable name, such as <c>CancelBatchScrape</c>, for telemetry tags.</summary>
    public string Name { get; } = name;

    /// <summary>The name of the activity each call opens; built when a listener asks, so it costs nothing otherwise.</summary>
    public string ActivityName => "Firecrawl." + Name;

    /// <summary>What the operation acts on, for messages: "batch scrape".</summary>
    public string Noun { get; } = noun;

    /// <summary>What the operation does, for messages: "Cancelling".</summary>
    public abstract string Verb { get; }

    /// <summary>The server's rate-limit bucket the operation counts against; the client keeps one gate partition per bucket.</summary>
    public string Bucket { get; } = bucket;

    /// <summary>The operation's route in each API version.</summary>
    public OperationRoutes Routes { get; } = routes;

    /// <summary>Whether the route carries a job id, which is then checked before anything is sent.</summary>
    public bool TakesJobId { get; } = routes.All[0].Path.Contains("{id}", StringComparison.Ordinal);

    /// <summary>The most body the client reads for a success; a longer body is refused, not parsed.</summary>
    public int MaxSuccessBodyBytes { get; } = maxSuccessBodyBytes;

    /// <summary>The most body the client reads for an error answer, whatever the success bound: enough for a message.</summary>
    public int MaxErrorBodyBytes { get; } = maxErrorBodyBytes;

    /// <summary>The bound for an answer with this status.</summary>
    public int MaxBodyBytesFor(HttpStatusCode status) => (int)status is >= 200 and <= 299 ? MaxSuccessBodyBytes : MaxErrorBodyBytes;

    /// <summary>The opening of every failure message: which operation, on which job, over which route.</summary>
    public string DescribeFailure(string id, CallState call)
    {
        string what = TakesJobId ? $"{Noun} {InputText.Quote(id)}" : Noun;
        return $"{Verb} {what} ({call.Route.Method.Method} {call.Route.Path}) failed: ";
    }

    /// <summary>
    /// A 2xx whose body is over the bound: the same exception as any other unreadable 2xx, so one catch handles both;
    /// not retried, since the same answer would come back.
    /// </summary>
    public FirecrawlApiException BodyTooLarge(AttemptResponse response, string id, CallState call, ClientRuntime runtime, string expected)
    {
        string reason = $"the server answered {(int)response.StatusCode} with a body over {MaxSuccessBodyBytes} bytes, which {expected}.";
        return new FirecrawlApiException(
            response.StatusCode,
            response.ServerError(runtime.Redactor),
            DescribeFailure(id, call) + reason,
            new InvalidDataException(reason));
    }

    /// <summary>A 2xx whose body is not what the operation reads, with what the server did say.</summary>
    public FirecrawlApiException UnreadableBody(AttemptResponse response, string id, CallState call, ClientRuntime runtime, string expected, JsonException exception)
    {
        FirecrawlError unreadable = response.ServerError(runtime.Redactor);
        return new FirecrawlApiException(
            response.StatusCode,
            unreadable,
            $"{DescribeFailure(id, call)}the server answered {(int)response.StatusCode} but its body is not {expected}: {unreadable.Message}",
            runtime.Redactor.Scrub(exception));
    }
}

/// <summary>An operation together with how its answer becomes <typeparamref name="TResult"/>.</summary>
internal abstract class FirecrawlOperation<TResult>(
    string name, string noun, string bucket, OperationRoutes routes, int maxSuccessBodyBytes, int maxErrorBodyBytes = FirecrawlOperation.DefaultMaxErrorBodyBytes)
    : FirecrawlOperation(name, noun, bucket, routes, maxSuccessBodyBytes, maxErrorBodyBytes)
{
    /// <summary>Turns a 2xx answer into the result, or throws a <see cref="FirecrawlException"/> when it is not one.</summary>
    public abstract TResult MapSuccess(AttemptResponse response, string id, CallState call, ClientRuntime runtime);

    /// <summary>An error status that still means the operation reached its end (a 409 "already completed" for a cancel).</summary>
    public abstract bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out TResult result);

    /// <summary>How a successful call ended, as a stable telemetry tag such as <c>cancelled</c>.</summary>
    public abstract string OutcomeTag(TResult result);

    /// <summary>How a successful call ended, in the words of the log events, such as <c>Cancelled</c>.</summary>
    public abstract string OutcomeName(TResult result);

    /// <summary>
    /// How a failure after an attempt that may have reached the server is settled by reading the job's status; null for an
    /// operation whose failure a status cannot settle.
    /// </summary>
    public virtual StatusLookup<TResult>? LookupAfterFailure => null;
}
