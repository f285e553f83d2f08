using System.Net;
using System.Reflection;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// Everything that sets one API operation apart, in one place: the words its messages use, its activity name, how much
/// body it reads, and how an answer becomes its result. Its method and route are not written here but read from its
/// method on <see cref="IFirecrawlApi"/>, the one declaration of every route. The runner, the pipeline, telemetry and
/// the error messages read this description; none of them branches on which operation it is.
/// </summary>
internal abstract class FirecrawlOperation(string name, string apiMethod, string noun, int maxSuccessBodyBytes, int maxErrorBodyBytes)
{
    /// <summary>The bound on an error answer's body unless an operation says otherwise: it is read only for a message.</summary>
    public const int DefaultMaxErrorBodyBytes = 64 * 1024;

    private readonly Refit.HttpMethodAttribute _declaration = DeclarationOf(apiMethod);

    /// <summary>A stable name, such as <c>CancelBatchScrape</c>, for telemetry tags.</summary>
    public string Name { get; } = name;

    /// <summary>The name of the activity each call opens; built when a listener asks, so it costs nothing otherwise.</summary>
    public string ActivityName => "Firecrawl." + Name;

    /// <summary>The HTTP method, as the Refit interface declares it.</summary>
    public HttpMethod Method => _declaration.Method;

    /// <summary>The route under the version prefix, such as <c>/batch/scrape/{id}</c>, as the Refit interface declares it.</summary>
    public string Route => _declaration.Path;

    /// <summary>What the operation acts on, for messages: "batch scrape".</summary>
    public string Noun { get; } = noun;

    /// <summary>What the operation does, for messages: "Cancelling".</summary>
    public abstract string Verb { get; }

    /// <summary>Whether the route carries a job id, which is then checked before anything is sent.</summary>
    public bool TakesJobId => Route.Contains("{id}", StringComparison.Ordinal);

    /// <summary>The most body the client reads for a success; a longer body is refused, not parsed.</summary>
    public int MaxSuccessBodyBytes { get; } = maxSuccessBodyBytes;

    /// <summary>The most body the client reads for an error answer, whatever the success bound: enough for a message.</summary>
    public int MaxErrorBodyBytes { get; } = maxErrorBodyBytes;

    /// <summary>The bound for an answer with this status.</summary>
    public int MaxBodyBytesFor(HttpStatusCode status) => (int)status is >= 200 and <= 299 ? MaxSuccessBodyBytes : MaxErrorBodyBytes;

    /// <summary>Sends one attempt through the Refit interface, the one place routes are declared.</summary>
    public abstract Task<HttpResponseMessage> SendAsync(IFirecrawlApi api, string id, CancellationToken cancellationToken);

    /// <summary>The opening of every failure message: which operation, on which job, over which route.</summary>
    public string DescribeFailure(string id, ClientConfiguration configuration)
    {
        string what = TakesJobId ? $"{Noun} {InputText.Quote(id)}" : Noun;
        return $"{Verb} {what} ({Method.Method} {configuration.VersionPath}{Route}) failed: ";
    }

    /// <summary>
    /// A 2xx whose body is over the bound: the same exception as any other unreadable 2xx, so one catch handles both;
    /// not retried, since the same answer would come back.
    /// </summary>
    public FirecrawlApiException BodyTooLarge(AttemptResponse response, string id, ClientRuntime runtime, string expected)
    {
        string reason = $"the server answered {(int)response.StatusCode} with a body over {MaxSuccessBodyBytes} bytes, which {expected}.";
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

    /// <summary>The Refit attribute on the interface method, read once per operation when the client first needs it.</summary>
    private static Refit.HttpMethodAttribute DeclarationOf(string apiMethod) =>
        typeof(IFirecrawlApi).GetMethod(apiMethod)?.GetCustomAttribute<Refit.HttpMethodAttribute>()
        ?? throw new InvalidOperationException($"IFirecrawlApi has no Refit method '{apiMethod}'.");
}

/// <summary>An operation together with how its answer becomes <typeparamref name="TResult"/>.</summary>
internal abstract class FirecrawlOperation<TResult>(string name, string apiMethod, string noun, int maxSuccessBodyBytes, int maxErrorBodyBytes = FirecrawlOperation.DefaultMaxErrorBodyBytes)
    : FirecrawlOperation(name, apiMethod, noun, maxSuccessBodyBytes, maxErrorBodyBytes)
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
