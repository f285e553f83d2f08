namespace Firecrawl.Client.Testing;

/// <summary>One request as the emulator saw it on the wire, so tests can assert on what the client really sent.</summary>
public sealed record RecordedRequest
{
    /// <summary>The HTTP method, such as <c>DELETE</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The request target exactly as sent, still escaped: <c>/v1/batch/scrape/abc%2Fdef</c>.</summary>
    public required string RawTarget { get; init; }

    /// <summary>The request headers, one comma-joined value per name (case-insensitive names).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>When the request arrived, on the emulator's clock.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The connection it arrived on; requests that share an id reused one socket.</summary>
    public required string ConnectionId { get; init; }

    /// <summary>
    /// The status the emulator answered with, so a test can tell which requests were refused and when; null until the
    /// answer has started, and for a request the client abandoned first.
    /// </summary>
    public int? StatusCode => Volatile.Read(ref _statusCode) is > 0 and int status ? status : null;

    // Set once, when the answer starts: the record is made on arrival, before anyone knows the answer.
    private int _statusCode;

    internal void Answered(int status) => Volatile.Write(ref _statusCode, status);

    /// <summary>Each header's values as they came, one per line, so a secret split across two lines can be found.</summary>
    internal IReadOnlyDictionary<string, string[]> HeaderValues { get; init; } = new Dictionary<string, string[]>();
}
