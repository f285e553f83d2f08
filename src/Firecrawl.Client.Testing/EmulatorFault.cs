namespace Firecrawl.Client.Testing;

/// <summary>
/// One scripted misbehaviour, applied to one request. Queue faults with <see cref="EmulatorFaults"/>; a request
/// with no fault queued gets the real server's answer.
/// </summary>
public sealed class EmulatorFault
{
    private EmulatorFault(FaultKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    internal FaultKind Kind { get; }

    internal int StatusCode { get; private init; }

    internal string? Body { get; private init; }

    internal TimeSpan Delay { get; private init; }

    internal long Size { get; private init; }

    internal Uri? Location { get; private init; }

    internal TimeSpan? RetryAfterDelta { get; private init; }

    internal DateTimeOffset? RetryAfterDate { get; private init; }

    /// <summary>The "Consumed (req/min)" a 429 names: the sixth request of a team limited to five, unless said otherwise.</summary>
    internal int Consumed { get; private init; } = 6;

    /// <summary>What the fault does, for test output.</summary>
    public string Description { get; }

    /// <summary>Answers with <paramref name="statusCode"/> and a JSON body (by default <c>{"error":"..."}</c>).</summary>
    /// <param name="statusCode">The status to answer with.</param>
    /// <param name="jsonBody">The exact body, or <see langword="null"/> for a small error body.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Status(int statusCode, string? jsonBody = null) =>
        new(FaultKind.Status, $"status {statusCode}") { StatusCode = statusCode, Body = jsonBody };

    /// <summary>Waits before sending any header, then answers normally: a slow server.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault DelayBeforeHeaders(TimeSpan delay) =>
        new(FaultKind.DelayBeforeHeaders, $"delay {delay.TotalMilliseconds} ms before headers") { Delay = delay };

    /// <summary>Sends the headers and half the body, stalls, then sends the rest: a server stuck mid-response.</summary>
    /// <param name="stall">How long to stall.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault StallMidBody(TimeSpan stall) =>
        new(FaultKind.StallMidBody, $"stall {stall.TotalMilliseconds} ms mid-body") { Delay = stall };

    /// <summary>Closes the connection without answering.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault DropConnection() => new(FaultKind.DropConnection, "drop the connection");

    /// <summary>Promises the whole body in <c>Content-Length</c>, sends half, and closes the connection.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault TruncatedBody() => new(FaultKind.TruncatedBody, "truncate the body");

    /// <summary>Answers with a gateway's HTML error page, as a proxy in front of the API does.</summary>
    /// <param name="statusCode">The status, 502 by default.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault HtmlError(int statusCode = 502) =>
        new(FaultKind.HtmlError, $"HTML error page {statusCode}") { StatusCode = statusCode };

    /// <summary>Streams a body of <paramref name="bytes"/> bytes without holding it in memory: a hostile server.</summary>
    /// <param name="bytes">The body size.</param>
    /// <param name="statusCode">The status, 500 by default.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault OversizedBody(long bytes, int statusCode = 500) =>
        new(FaultKind.OversizedBody, $"{bytes}-byte body with status {statusCode}") { Size = bytes, StatusCode = statusCode };

    /// <summary>Redirects to <paramref name="location"/>, typically another origin.</summary>
    /// <param name="location">Where the redirect points.</param>
    /// <param name="statusCode">The redirect status, 307 by default.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Redirect(Uri location, int statusCode = 307) =>
        new(FaultKind.Redirect, $"redirect {statusCode} to {location}") { Location = location, StatusCode = statusCode };

    /// <summary>Answers with a <c>Retry-After</c> header in seconds, as proxies and newer servers do.</summary>
    /// <param name="statusCode">The status, such as 429 or 503.</param>
    /// <param name="delay">The wait to announce.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RetryAfter(int statusCode, TimeSpan delay) =>
        new(FaultKind.RetryAfter, $"status {statusCode} with Retry-After {delay.TotalSeconds} s") { StatusCode = statusCode, RetryAfterDelta = delay };

    /// <summary>Answers with a <c>Retry-After</c> header holding an HTTP date.</summary>
    /// <param name="statusCode">The status, such as 429 or 503.</param>
    /// <param name="until">The moment to announce.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RetryAfter(int statusCode, DateTimeOffset until) =>
        new(FaultKind.RetryAfter, $"status {statusCode} with Retry-After {until:R}") { StatusCode = statusCode, RetryAfterDate = until };

    /// <summary>Answers Firecrawl's real 429: no header, the wait only in the message text ("retry after Ns").</summary>
    /// <param name="retryAfterSeconds">The wait the message names.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RateLimited(int retryAfterSeconds) =>
        new(FaultKind.RateLimited, $"429 with 'retry after {retryAfterSeconds}s' in the message") { Delay = TimeSpan.FromSeconds(retryAfterSeconds) };

    /// <summary>A 429 that names how many requests the window has consumed, which a client may learn its pace from.</summary>
    internal static EmulatorFault RateLimited(int retryAfterSeconds, int consumed) =>
        new(FaultKind.RateLimited, $"429 with 'retry after {retryAfterSeconds}s' in the message") { Delay = TimeSpan.FromSeconds(retryAfterSeconds), Consumed = consumed };

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>What a fault does.</summary>
internal enum FaultKind
{
    Status,
    DelayBeforeHeaders,
    StallMidBody,
    DropConnection,
    TruncatedBody,
    HtmlError,
    OversizedBody,
    Redirect,
    RetryAfter,
    RateLimited,
}
