using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// The requests recorded against the real self-hosted server (the August 2025 build, in its no-auth and its auth
/// mode), replayed against the emulator over a bare socket, and the answers compared byte for byte: status, every
/// header and its value, and the body. Ids, the host and times are normalised. Where the emulator must differ from
/// the server, <see cref="KnownDifferences"/> says so by name, with the reason.
/// </summary>
public sealed partial class ConformanceTests
{
    /// <summary>The differences the comparison allows, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        ["header order"] = "Kestrel writes response headers in an order of its own; the names and values are the server's, so they are compared as a set.",
        ["crawl options"] = "The server lists a crawl's options with its whole default set; the emulator lists what the request set over four of those defaults (includePaths, excludePaths, limit, maxDepth).",
        ["validation details"] = "A 400 from the create endpoints carries the validator's issue list in details; the emulator names the field and the problem in the same shape, not the validator's exact wording.",
        ["preflight Content-Length"] = "Node sends Content-Length: 0 on the 204 preflight; Kestrel never writes Content-Length on a 204 (RFC 9110 forbids it there), so the emulator's preflight lacks that one header.",
    };

    private static readonly string[] JsonHeaders = ["X-Powered-By: Express", "Access-Control-Allow-Origin: *", "ETag: <etag>", "Date: <date>", "Connection: keep-alive", "Keep-Alive: timeout=5", "Content-Type: application/json; charset=utf-8", "Content-Length: <length>"];
    private static readonly string[] JsonHeadersWithoutCors = ["X-Powered-By: Express", "ETag: <etag>", "Date: <date>", "Connection: keep-alive", "Keep-Alive: timeout=5", "Content-Type: application/json; charset=utf-8", "Content-Length: <length>"];
    private static readonly string[] HtmlHeaders = ["X-Powered-By: Express", "Access-Control-Allow-Origin: *", "Content-Security-Policy: default-src 'none'", "X-Content-Type-Options: nosniff", "Content-Type: text/html; charset=utf-8", "Content-Length: <length>", "Date: <date>", "Connection: keep-alive", "Keep-Alive: timeout=5"];
    // The server also sends Content-Length: 0; see KnownDifferences["preflight Content-Length"].
    private static readonly string[] PreflightHeaders = ["X-Powered-By: Express", "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE", "Vary: Access-Control-Request-Headers", "Date: <date>", "Connection: keep-alive", "Keep-Alive: timeout=5"];

    private const string Cancelled = """{"status":"cancelled"}""";
    private const string NotFound = """{"error":"Job not found"}""";

    /// <summary>The no-auth mode: one team, whatever the request carries.</summary>
    public static TheoryData<string> NoAuthExchanges() => [.. NoAuth.Select(e => e.Name)];

    /// <summary>The auth mode: teams A and B; B's cancel and status bucket is limited to 5 a minute.</summary>
    public static TheoryData<string> AuthExchanges() => [.. Auth.Select(e => e.Name)];

    private static readonly Exchange[] NoAuth =
    [
        new("cancel a running batch scrape", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, JsonHeaders),
        new("cancel it again", "DELETE", "/v1/batch/scrape/{cancelled}", 200, Cancelled, JsonHeaders),
        new("cancel on v2", "DELETE", "/v2/batch/scrape/{job}", 200, Cancelled, JsonHeaders),
        new("cancel a crawl", "DELETE", "/v1/crawl/{crawl}", 200, Cancelled, JsonHeaders),
        new("cancel a crawl on v2", "DELETE", "/v2/crawl/{crawl}", 200, Cancelled, JsonHeaders),
        new("a crawl id on the batch route", "DELETE", "/v1/batch/scrape/{crawl}", 200, Cancelled, JsonHeaders),
        new("a batch id on the crawl route", "DELETE", "/v1/crawl/{job}", 200, Cancelled, JsonHeaders),
        new("a completed job", "DELETE", "/v1/batch/scrape/{completed}", 200, Cancelled, JsonHeaders),
        new("a completed job on v2", "DELETE", "/v2/batch/scrape/{completed}", 200, Cancelled, JsonHeaders),
        new("a trailing slash", "DELETE", "/v1/batch/scrape/{job}/", 200, Cancelled, JsonHeaders),
        new("an upper-case path", "DELETE", "/V1/BATCH/SCRAPE/{job}", 200, Cancelled, JsonHeaders),
        new("a query string", "DELETE", "/v1/batch/scrape/{job}?x=1", 200, Cancelled, JsonHeaders),
        new("an unknown id", "DELETE", "/v1/batch/scrape/{unknown}", 404, NotFound, JsonHeaders),
        new("an unknown id on v2", "DELETE", "/v2/batch/scrape/{unknown}", 404, NotFound, JsonHeaders),
        new("a malformed id", "DELETE", "/v1/batch/scrape/not-a-uuid", 404, NotFound, JsonHeaders),
        new("a malformed id on v2", "DELETE", "/v2/batch/scrape/not-a-uuid", 404, NotFound, JsonHeaders),
        new("an empty id", "DELETE", "/v1/batch/scrape/", 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot DELETE /v1/batch/scrape/</pre>\n</body>\n</html>\n", HtmlHeaders),
        new("an unknown route", "DELETE", "/v1/nothing/here", 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot DELETE /v1/nothing/here</pre>\n</body>\n</html>\n", HtmlHeaders),
        new("a CORS preflight", "OPTIONS", "/v1/batch/scrape/{job}", 204, "", PreflightHeaders, Headers: [("Origin", "https://app.example"), ("Access-Control-Request-Method", "DELETE")]),
        new("malformed JSON on a cancel", "DELETE", "/v1/batch/scrape/{job}", 400, """{"success":false,"code":"BAD_REQUEST_INVALID_JSON","error":"Bad request, malformed JSON"}""", JsonHeadersWithoutCors, Headers: [("Content-Type", "application/json")], Body: "{not json"),
        new("malformed JSON on a create", "POST", "/v1/batch/scrape", 400, """{"success":false,"code":"BAD_REQUEST_INVALID_JSON","error":"Bad request, malformed JSON"}""", JsonHeadersWithoutCors, Headers: [("Content-Type", "application/json")], Body: "{\"urls\":["),
        new("create a batch scrape", "POST", "/v1/batch/scrape", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v1/batch/scrape/<uuid>"}""", JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"urls":["https://example.com"]}"""),
        new("create a batch scrape with no urls", "POST", "/v1/batch/scrape", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v1/batch/scrape/<uuid>"}""", JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"urls":[]}"""),
        new("create a batch scrape on v2", "POST", "/v2/batch/scrape", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v2/batch/scrape/<uuid>","invalidURLs":[]}""", JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"urls":["https://example.com"]}"""),
        new("create a crawl", "POST", "/v1/crawl", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v1/crawl/<uuid>"}""", JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"url":"https://example.com","limit":5}"""),
        new("create a crawl of a URL without a top-level domain", "POST", "/v1/crawl", 400, """{"success":false,"code":"BAD_REQUEST","error":"Bad Request","details":[{"code":"custom","message":"Invalid URL","path":["url"]}]}""", JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"url":"https://localhost"}"""),
        new("the status of a cancelled job", "GET", "/v1/batch/scrape/{cancelled}", 200, """{"success":true,"status":"cancelled","completed":0,"total":1,"creditsUsed":0,"expiresAt":"<iso>","next":"http://<host>/v1/batch/scrape/<uuid>?skip=0","data":[]}""", JsonHeaders),
        new("the active crawls", "GET", "/v1/crawl/active", 200, """{"success":true,"crawls":[{"id":"<uuid>","teamId":"bypass","url":"https://example.com","created_at":"<iso>","options":{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}}]}""", JsonHeaders),
        new("the ongoing crawls on v2", "GET", "/v2/crawl/ongoing", 200, """{"success":true,"crawls":[{"id":"<uuid>","teamId":"bypass","url":"https://example.com","created_at":"<iso>","options":{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}}]}""", JsonHeaders),
    ];

    private static readonly Exchange[] Auth =
    [
        new("no Authorization header", "DELETE", "/v1/batch/scrape/{job}", 401, """{"success":false,"error":"Unauthorized"}""", JsonHeaders),
        new("Bearer without a token", "DELETE", "/v1/batch/scrape/{job}", 401, """{"success":false,"error":"Unauthorized: Token missing"}""", JsonHeaders, Headers: [("Authorization", "Bearer")]),
        new("a key of the wrong form", "DELETE", "/v1/batch/scrape/{job}", 401, """{"success":false,"error":"Unauthorized: Invalid token"}""", JsonHeaders, Headers: [("Authorization", "Bearer fc-short")]),
        new("Basic credentials", "DELETE", "/v1/batch/scrape/{job}", 401, """{"success":false,"error":"Unauthorized: Invalid token"}""", JsonHeaders, Headers: [("Authorization", "Basic dXNlcjpwYXNz")]),
        new("an unknown key of the right form", "DELETE", "/v1/batch/scrape/{job}", 401, """{"success":false,"error":"Unauthorized: Invalid token"}""", JsonHeaders, Headers: [("Authorization", "Bearer {unknownKey}")]),
        new("team A cancels its job", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, JsonHeaders, Headers: [("Authorization", "Bearer {keyA}")]),
        new("team A cancels team B's job", "DELETE", "/v1/batch/scrape/{theirs}", 403, """{"error":"Unauthorized"}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyA}")]),
        new("team A cancels team B's job on v2", "DELETE", "/v2/batch/scrape/{theirs}", 403, """{"error":"Unauthorized"}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyA}")]),
        new("team A lists its active crawls", "GET", "/v1/crawl/active", 200, """{"success":true,"crawls":[{"id":"<uuid>","teamId":"<uuid>","url":"https://example.com","created_at":"<iso>","options":{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}}]}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyA}")]),
        new("team B's sixth request in a minute", "DELETE", "/v1/batch/scrape/{theirs}", 429, """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 6, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 60s, resets at <jsdate>"}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyB}")], Before: 5),
        new("team B's seventh request", "DELETE", "/v1/batch/scrape/{theirs}", 429, """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 7, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 60s, resets at <jsdate>"}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyB}")], Before: 6),
        new("team B creates while its cancels are limited", "POST", "/v1/batch/scrape", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v1/batch/scrape/<uuid>"}""", JsonHeaders, Headers: [("Authorization", "Bearer {keyB}"), ("Content-Type", "application/json")], Body: """{"urls":["https://example.com"]}""", Before: 6),
        new("a bad key while the team is limited is still 401", "DELETE", "/v1/batch/scrape/{theirs}", 401, """{"success":false,"error":"Unauthorized: Invalid token"}""", JsonHeaders, Headers: [("Authorization", "Bearer fc-short")], Before: 6),
    ];

    [Theory]
    [MemberData(nameof(NoAuthExchanges))]
    public async Task Emulator_NoAuthMode_AnswersLikeTheRecordedServer(string name)
    {
        Exchange exchange = NoAuth.Single(e => e.Name == name);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var ids = new Dictionary<string, string>
        {
            ["{job}"] = emulator.CreateBatchScrapeJob(),
            ["{crawl}"] = emulator.CreateCrawlJob(),
            ["{cancelled}"] = emulator.CreateBatchScrapeJob(),
            ["{completed}"] = emulator.CreateBatchScrapeJob(),
            ["{unknown}"] = Guid.NewGuid().ToString(),
        };
        emulator.CompleteJob(ids["{completed}"]);
        await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + ids["{cancelled}"]);
        if (name.Contains("active", StringComparison.Ordinal) || name.Contains("ongoing", StringComparison.Ordinal))
        {
            // Only the running crawl is listed: not the cancelled one, nor any batch scrape.
            await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/crawl/" + emulator.CreateCrawlJob());
        }

        await AssertConformsAsync(emulator, exchange, ids);
    }

    [Theory]
    [MemberData(nameof(AuthExchanges))]
    public async Task Emulator_AuthMode_AnswersLikeTheRecordedServer(string name)
    {
        Exchange exchange = Auth.Single(e => e.Name == name);
        string keyA = FirecrawlEmulator.NewApiKey();
        string keyB = FirecrawlEmulator.NewApiKey();
        var options = new FirecrawlEmulatorOptions { RateLimitPerWindow = 5, TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) };
        options.ApiKeys.Add(keyA);
        options.ApiKeys.Add(keyB);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        var ids = new Dictionary<string, string>
        {
            ["{job}"] = emulator.CreateBatchScrapeJob(keyA),
            ["{theirs}"] = emulator.CreateBatchScrapeJob(keyB),
            ["{keyA}"] = keyA,
            ["{keyB}"] = keyB,
            ["{unknownKey}"] = FirecrawlEmulator.NewApiKey(),
        };
        emulator.CreateCrawlJob(keyA);
        for (int i = 0; i < exchange.Before; i++)
        {
            await RawHttp.SendAsync(emulator.BaseAddress, "GET", "/v1/batch/scrape/" + ids["{theirs}"], [("Authorization", "Bearer " + keyB)]);
        }

        await AssertConformsAsync(emulator, exchange, ids);
    }

    [Fact]
    public async Task Emulator_CancelledAnswer_CarriesTheRecordedETagExactly()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        RawResponse response = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + emulator.CreateBatchScrapeJob());

        Assert.Equal("W/\"16-6gL6aNpHo0R2OXVVmKChMiHjU/E\"", response.Header("ETag"));
        Assert.Equal("22", response.Header("Content-Length"));
    }

    [Fact]
    public async Task Emulator_RouterNotFoundPage_IsTheRecorded158Bytes()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        RawResponse response = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/");

        Assert.Equal(158, response.Body.Length);
    }

    private static async Task AssertConformsAsync(FirecrawlEmulator emulator, Exchange exchange, Dictionary<string, string> values)
    {
        string target = Fill(exchange.Target, values);
        IEnumerable<(string, string)> headers = (exchange.Headers ?? []).Select(h => (h.Name, Fill(h.Value, values)));

        RawResponse response = await RawHttp.SendAsync(emulator.BaseAddress, exchange.Method, target, headers, exchange.Body);

        Assert.Equal(exchange.Status, response.Status);
        Assert.Equal(exchange.ExpectedBody, Normalise(response.Text, emulator.BaseAddress));
        Assert.Equal(
            exchange.ExpectedHeaders.Order(StringComparer.Ordinal),
            response.Headers.Select(h => NormaliseHeader(h.Name, h.Value, response.Body)).Order(StringComparer.Ordinal));
    }

    private static string NormaliseHeader(string name, string value, byte[] body) => name switch
    {
        "Date" when DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) && value.EndsWith(" GMT", StringComparison.Ordinal) => "Date: <date>",
        "ETag" when value == ExpressETag(body) => "ETag: <etag>",
        "Content-Length" when value == body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) && body.Length > 0 => "Content-Length: <length>",
        _ => $"{name}: {value}",
    };

    /// <summary>Express's weak ETag, computed here independently of the emulator.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Express defines its ETag on SHA-1.")]
    private static string ExpressETag(byte[] body) =>
        $"W/\"{body.Length:x}-{Convert.ToBase64String(SHA1.HashData(body))[..27]}\"";

    private static string Normalise(string body, Uri baseAddress)
    {
        string text = body.Replace(baseAddress.AbsoluteUri.TrimEnd('/'), "http://<host>", StringComparison.Ordinal);
        text = UuidPattern().Replace(text, "<uuid>");
        text = IsoPattern().Replace(text, "<iso>");
        return JsDatePattern().Replace(text, "<jsdate>");
    }

    private static string Fill(string text, Dictionary<string, string> values) =>
        values.Aggregate(text, static (t, v) => t.Replace(v.Key, v.Value, StringComparison.Ordinal));

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)")]
    private static partial Regex JsDatePattern();

    private sealed record Exchange(
        string Name,
        string Method,
        string Target,
        int Status,
        string ExpectedBody,
        string[] ExpectedHeaders,
        (string Name, string Value)[]? Headers = null,
        string? Body = null,
        int Before = 0);
}
