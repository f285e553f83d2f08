using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// What the server said when a call failed. Kept as data so it can be logged, shown or switched on without parsing
/// exception messages.
/// </summary>
public sealed record FirecrawlError
{
    /// <summary>
    /// The server's <c>error</c> text, or, when the body was not the usual JSON, a description of what came back.
    /// </summary>
    public required string Message { get; init; }

    /// <summary>The server's <c>code</c> field (for example <c>UNKNOWN_ERROR</c>), when it sent one.</summary>
    public string? Code { get; init; }

    /// <summary>The server's <c>details</c> field, which can be any JSON, when it sent one.</summary>
    public JsonElement? Details { get; init; }

    /// <summary>
    /// The id from "Your exception ID is ...": 32 hex digits from the cloud service, or a UUID from a self-hosted
    /// server's error handler. Firecrawl support asks for it, so quote it in a ticket.
    /// </summary>
    public string? ExceptionId { get; init; }

    /// <summary>
    /// The response body as text, cut to at most <see cref="MaxRawBodyLength"/> characters so a hostile body cannot
    /// fill logs or memory.
    /// </summary>
    public string? RawBody { get; init; }

    /// <summary>Whether <see cref="RawBody"/> was cut short.</summary>
    public bool RawBodyTruncated { get; init; }

    /// <summary>The most characters of a response body that <see cref="RawBody"/> keeps.</summary>
    public const int MaxRawBodyLength = 4096;
}
