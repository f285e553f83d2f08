using System.Net;
using System.Net.Http.Headers;

namespace Firecrawl.Client;

/// <summary>
/// What one attempt brought back: the response, its body read in full (up to the operation's bound) and the wait the
/// server named, read once. The retry decision, the back-off, the gate and the error mapping all read it from here.
/// </summary>
internal sealed class AttemptResponse(HttpResponseMessage response, ResponseBody body, ServerHint? hint) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    public HttpStatusCode StatusCode => Response.StatusCode;

    public ResponseBody Body { get; } = body;

    /// <summary>The body's declared media type; the original content is gone once the body is read.</summary>
    public MediaTypeHeaderValue? ContentType => Body.ContentType;

    /// <summary>The wait the server named, from <c>Retry-After</c> or the 429 text; null when it named none.</summary>
    public ServerHint? Hint { get; } = hint;

    /// <summary>
    /// What the server said in this body, with the client's secrets masked. Read here, from the answer itself, so that the
    /// mapper and the operations both read it without one calling back into the other.
    /// </summary>
    public FirecrawlError ServerError(SecretRedactor redactor) =>
        FirecrawlErrorParser.Parse(StatusCode, ContentType, Body.Span, Body.Truncated, redactor);

    /// <summary>Disposes the response; Polly calls this for an attempt it retries.</summary>
    public void Dispose() => Response.Dispose();
}

/// <summary>
/// A wait the server asked for: <see cref="Named"/> as it named it, <see cref="Wait"/> as the client will sleep it
/// (padded for a text hint, see <see cref="RetryHint.Pad"/>), and where the client read it.
/// </summary>
internal readonly record struct ServerHint(TimeSpan Named, TimeSpan Wait, string Source)
{
    /// <summary>A hint slept exactly as named, such as a <c>Retry-After</c> header.</summary>
    public static ServerHint Exact(TimeSpan wait, string source) => new(wait, wait, source);
}
