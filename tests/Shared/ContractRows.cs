namespace Firecrawl.Client.Contract;

/// <summary>
/// One answer the real server (or a gateway in front of it) sends to a cancel, and what the client must make of it.
/// <see cref="Expected"/> is <c>Cancelled</c>, <c>AlreadyCompleted</c>, or the name of the exception type.
/// </summary>
public sealed record ContractRow(
    string Name,
    int Status,
    string Body,
    string Expected,
    string? ServerText = null,
    bool Transient = false,
    string ContentType = "application/json; charset=utf-8",
    string? ExceptionId = null,
    string? Code = null,
    int? HintSeconds = null)
{
    public bool IsJson => ContentType.StartsWith("application/json", StringComparison.Ordinal);

    public override string ToString() => Name;
}

/// <summary>
/// The contract rows, in one table that every suite reads: the unit tests serve them through MockHttp, the integration
/// tests through the emulator over real sockets, on the plain and the DI path. The rows and their bodies are the ones
/// docs/server-behaviour.md describes.
/// </summary>
public static class ContractRows
{
    public const string RateLimitBody = """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 4, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 60s, resets at Sat Nov 28 2026 18:31:33 GMT+0000 (Coordinated Universal Time)"}""";

    public static readonly ContractRow[] All =
    [
        new("cancelled", 200, """{"status":"cancelled"}""", "Cancelled"),
        new("cancelled, newer server", 200, """{"success":true,"status":"cancelled"}""", "Cancelled"),
        new("cancelled, as the docs page says", 200, """{"success":true,"message":"Batch scrape job successfully cancelled."}""", "Cancelled", ServerText: "Batch scrape job successfully cancelled."),
        new("cancelled, with unknown fields", 200, """{"status":"cancelled","somethingNew":{"nested":[1,2]},"extra":42}""", "Cancelled"),
        new("already completed, 409", 409, """{"error":"Crawl is already completed"}""", "AlreadyCompleted", ServerText: "Crawl is already completed"),
        new("already completed, 409 newer", 409, """{"success":false,"error":"Crawl is already completed"}""", "AlreadyCompleted", ServerText: "Crawl is already completed"),
        // Newer v2 servers answer another team's job exactly so too: one row, since the wire cannot tell the two apart.
        new("unknown id, or another team's job on newer v2", 404, """{"error":"Job not found"}""", "FirecrawlNotFoundException", ServerText: "Job not found"),
        new("unknown id, newer", 404, """{"success":false,"error":"Job not found"}""", "FirecrawlNotFoundException", ServerText: "Job not found"),
        new("unknown id, docs page", 404, """{"error":"Batch scrape job not found."}""", "FirecrawlNotFoundException", ServerText: "Batch scrape job not found."),
        new("non-UUID id on v2, newer", 400, """{"success":false,"error":"Invalid job ID format. Job ID must be a valid UUID."}""", "FirecrawlApiException", ServerText: "Invalid job ID format. Job ID must be a valid UUID."),
        new("another team's job, v1", 403, """{"error":"Unauthorized"}""", "FirecrawlForbiddenException", ServerText: "Unauthorized"),
        new("no Authorization header", 401, """{"success":false,"error":"Unauthorized"}""", "FirecrawlUnauthorizedException", ServerText: "Unauthorized"),
        new("Bearer without a token", 401, """{"success":false,"error":"Unauthorized: Token missing"}""", "FirecrawlUnauthorizedException", ServerText: "Unauthorized: Token missing"),
        new("bad key", 401, """{"success":false,"error":"Unauthorized: Invalid token"}""", "FirecrawlUnauthorizedException", ServerText: "Unauthorized: Invalid token"),
        new("rate limited", 429, RateLimitBody, "FirecrawlRateLimitException", Transient: true, HintSeconds: 60),
        new("error in the cancel handler", 500, """{"error":"Cannot read properties of undefined (reading 'team_id')"}""", "FirecrawlServerException", ServerText: "Cannot read properties of undefined (reading 'team_id')", Transient: true),
        new("error in the auth layer", 500, """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred. Please contact help@firecrawl.com for help. Your exception ID is 4f9938d9e4d34fdcbd2a1a4bcaa02c0b"}""", "FirecrawlServerException", Transient: true, ExceptionId: "4f9938d9e4d34fdcbd2a1a4bcaa02c0b", Code: "UNKNOWN_ERROR"),
        new("empty id, the router's HTML 404", 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot DELETE /v1/batch/scrape/</pre>\n</body>\n</html>\n", "FirecrawlNotFoundException", ContentType: "text/html; charset=utf-8"),
        new("gateway 502, HTML", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "FirecrawlServerException", Transient: true, ContentType: "text/html"),
        new("gateway 503, empty", 503, "", "FirecrawlServerException", ServerText: "HTTP 503 with an empty body.", Transient: true, ContentType: "text/plain"),
        new("gateway 504, empty JSON", 504, "{}", "FirecrawlServerException", ServerText: "HTTP 504 with a JSON body that has no 'error' text.", Transient: true),
        new("proxy 408", 408, "{}", "FirecrawlApiException", Transient: true),
        new("insufficient credits", 402, """{"success":false,"error":"Insufficient credits to perform this request."}""", "FirecrawlApiException", ServerText: "Insufficient credits to perform this request."),
    ];

    public static IEnumerable<object[]> Names() => All.Select(static row => new object[] { row.Name });

    public static ContractRow Get(string name) => All.Single(row => row.Name == name);
}
