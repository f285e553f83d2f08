using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Firecrawl.Client.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Testing.Tests;

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
        ["URL parser"] = "The server's URL checks call JavaScript's new URL(), which follows the WHATWG URL standard; the emulator parses the parts those checks read (scheme, host, port, path) by the standard's rules, not by a full implementation of it.",
        ["option values"] = "The create endpoints check the keys of a request as the server does, and the values of url, urls, maxDepth, scrapeOptions, ignoreInvalidURLs and zeroDataRetention; the type of every other option's value is not checked.",
        ["crawl prompt"] = "A v2 crawl's prompt is accepted, but the emulator has no model to turn it into crawl options, so its answer has no promptGeneratedOptions.",
        ["path patterns"] = "The server refuses an includePaths or excludePaths entry that is not a JavaScript regular expression, quoting the engine's message; the emulator does not compile them.",
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
        new("create a crawl of a URL without a top-level domain", "POST", "/v1/crawl", 400, Refused("""{"code":"custom","message":"URL must have a valid top-level domain or be a valid path","path":["url"]}"""), JsonHeaders, Headers: [("Content-Type", "application/json")], Body: """{"url":"https://localhost"}"""),
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

    /// <summary>
    /// The create endpoints' input checks, one accepted and one refused input each. These answers are not recorded: they
    /// follow the server's request schemas and controllers (<c>apps/api/src/controllers/v1|v2/types.ts</c>, zod 3), the
    /// issues in zod's order and words, as its error handler writes them.
    /// </summary>
    public static TheoryData<string> InputCheckExchanges() => [.. InputChecks.Select(e => e.Name)];

    private const string CrawlCreated = """{"success":true,"id":"<uuid>","url":"http://<host>/v1/crawl/<uuid>"}""";
    private const string BatchCreated = """{"success":true,"id":"<uuid>","url":"http://<host>/v1/batch/scrape/<uuid>"}""";
    private const string InvalidUrl = """{"validation":"url","code":"invalid_string","message":"Invalid url","path":["url"]}""";
    private const string UnsupportedProtocol = """{"validation":"regex","code":"invalid_string","message":"URL uses unsupported protocol","path":["url"]}""";
    private const string NoTopLevelDomain = """{"code":"custom","message":"URL must have a valid top-level domain or be a valid path","path":["url"]}""";
    private const string CheckUrlFailed = """{"code":"custom","message":"Invalid URL","path":["url"]}""";
    private const string TooDeep = """{"code":"custom","message":"URL depth exceeds the specified maxDepth","path":["url"]}""";
    private const string ZeroDataRetention = """{"success":false,"error":"Zero data retention is enabled for this team. If you're interested in ZDR, please contact support@firecrawl.com"}""";

    private static readonly Exchange[] InputChecks =
    [
        Post("url parses: accepts a URL", "/v1/crawl", """{"url":"https://example.com/docs"}""", 200, CrawlCreated),
        Post("url parses: refuses a host with a space", "/v1/crawl", """{"url":"http://exa mple.com"}""", 400, Refused(InvalidUrl, CheckUrlFailed, TooDeep)),
        Post("url parses: refuses an IPv4 address out of range", "/v1/crawl", """{"url":"http://256.256.256.256/a.html"}""", 400, Refused(InvalidUrl, CheckUrlFailed, TooDeep)),
        Post("http or https: accepts either in any case", "/v1/crawl", """{"url":"HTTPS://EXAMPLE.COM"}""", 200, CrawlCreated),
        Post("http or https: refuses ftp", "/v1/crawl", """{"url":"ftp://example.com"}""", 400, Refused(UnsupportedProtocol, CheckUrlFailed)),
        Post("top-level domain: accepts one anywhere in the URL, such as a file's extension", "/v1/crawl", """{"url":"http://127.0.0.1:1/x.html"}""", 200, CrawlCreated),
        Post("top-level domain: refuses a URL with none", "/v1/crawl", """{"url":"http://127.0.0.1:1/x"}""", 400, Refused(NoTopLevelDomain)),
        Post("one colon before the first dot: accepts a URL with no scheme, read as http", "/v1/crawl", """{"url":"example.com"}""", 200, CrawlCreated),
        Post("one colon before the first dot: refuses a doubled scheme", "/v1/crawl", """{"url":"http://http://example.com"}""", 400, Refused(CheckUrlFailed)),
        Post("depth within maxDepth: accepts a URL as deep as maxDepth", "/v1/crawl", """{"url":"https://example.com/a/b","maxDepth":2}""", 200, CrawlCreated),
        Post("depth within maxDepth: refuses a deeper one", "/v1/crawl", """{"url":"https://example.com/a/b/c","maxDepth":2}""", 400, Refused(TooDeep)),
        Post("maxDepth is a number: accepts a number", "/v1/crawl", """{"url":"https://example.com","maxDepth":0}""", 200, CrawlCreated),
        Post("maxDepth is a number: refuses a string", "/v1/crawl", """{"url":"https://example.com","maxDepth":"2"}""", 400, Refused("""{"code":"invalid_type","expected":"number","received":"string","path":["maxDepth"],"message":"Expected number, received string"}""")),
        Post("url is a string: accepts a string", "/v1/crawl", """{"url":"https://example.com"}""", 200, CrawlCreated),
        Post("url is a string: refuses a list with a scheme", "/v1/crawl", """{"url":["https://example.com"]}""", 400, Refused("""{"code":"invalid_type","expected":"string","received":"array","path":["url"],"message":"Expected string, received array"}""")),
        Post("url is a string: refuses a missing url, read as http://undefined", "/v1/crawl", "{}", 400, Refused(NoTopLevelDomain)),
        Post("known keys only: accepts the crawler's options", "/v1/crawl", """{"url":"https://example.com","limit":5,"includePaths":["docs/.*"],"origin":"js-sdk"}""", 200, CrawlCreated),
        Post("known keys only: refuses an unknown key", "/v1/crawl", """{"url":"https://example.com","depth":2}""", 400, Refused("""{"code":"unrecognized_keys","keys":["depth"],"path":[],"message":"Unrecognized key in body -- please review the v1 API documentation for request body changes"}""")),
        Post("known keys only on v2: accepts v2's sitemap", "/v2/crawl", """{"url":"https://example.com","sitemap":"skip","prompt":"docs only"}""", 200, CrawlCreated.Replace("/v1/", "/v2/", StringComparison.Ordinal)),
        Post("known keys only on v2: refuses v1's maxDepth", "/v2/crawl", """{"url":"https://example.com","maxDepth":2}""", 400, Refused("""{"code":"unrecognized_keys","keys":["maxDepth"],"path":[],"message":"Unrecognized key in body -- please review the v2 API documentation for request body changes"}""")),
        Post("scrape options known: accepts formats", "/v1/crawl", """{"url":"https://example.com","scrapeOptions":{"formats":["markdown"]}}""", 200, CrawlCreated),
        Post("scrape options known: refuses an unknown key inside", "/v1/crawl", """{"url":"https://example.com","scrapeOptions":{"format":"markdown"}}""", 400, Refused("""{"code":"unrecognized_keys","keys":["format"],"path":["scrapeOptions"],"message":"Unrecognized key in body -- please review the v1 API documentation for request body changes"}""")),
        Post("zero data retention: accepts false", "/v1/crawl", """{"url":"https://example.com","zeroDataRetention":false}""", 200, CrawlCreated),
        Post("zero data retention: refuses true for a team without it", "/v1/crawl", """{"url":"https://example.com","zeroDataRetention":true}""", 400, ZeroDataRetention),
        Post("an object body: accepts an object", "/v1/crawl", """{"url":"example.com"}""", 200, CrawlCreated),
        Post("an object body: refuses a list", "/v1/crawl", """["https://example.com"]""", 400, Refused("""{"code":"invalid_type","expected":"object","received":"array","path":[],"message":"Expected object, received array"}""")),
        Post("batch urls required: accepts a list", "/v1/batch/scrape", """{"urls":["https://example.com"]}""", 200, BatchCreated),
        Post("batch urls required: refuses none", "/v1/batch/scrape", "{}", 400, Refused("""{"code":"invalid_type","expected":"array","received":"undefined","path":["urls"],"message":"Required"}""")),
        Post("batch each url checked: accepts good ones", "/v1/batch/scrape", """{"urls":["https://example.com","example.org/a.html"]}""", 200, BatchCreated),
        Post("batch each url checked: refuses a bad one by its index", "/v1/batch/scrape", """{"urls":["https://example.com","ftp://example.org"]}""", 400, Refused(UnsupportedProtocol.Replace("\"url\"]", "\"urls\",1]", StringComparison.Ordinal), CheckUrlFailed.Replace("\"url\"]", "\"urls\",1]", StringComparison.Ordinal))),
        Post("batch ignoreInvalidURLs: sets bad ones aside on v1 when true", "/v1/batch/scrape", """{"urls":["https://example.com","ftp://example.org"],"ignoreInvalidURLs":true}""", 200, """{"success":true,"id":"<uuid>","url":"http://<host>/v1/batch/scrape/<uuid>","invalidURLs":["ftp://example.org"]}"""),
        Post("batch ignoreInvalidURLs: refuses a bad one on v2 unless it is true", "/v2/batch/scrape", """{"urls":["ftp://example.org"]}""", 400, Refused(UnsupportedProtocol.Replace("\"url\"]", "\"urls\",0]", StringComparison.Ordinal), CheckUrlFailed.Replace("\"url\"]", "\"urls\",0]", StringComparison.Ordinal))),
        Post("batch ignoreInvalidURLs: no list of them on v2 when false", "/v2/batch/scrape", """{"urls":["https://example.com"],"ignoreInvalidURLs":false}""", 200, BatchCreated.Replace("/v1/", "/v2/", StringComparison.Ordinal)),
        Post("batch known keys only: accepts scrape options", "/v1/batch/scrape", """{"urls":["https://example.com"],"formats":["markdown"],"onlyMainContent":true}""", 200, BatchCreated),
        Post("batch known keys only: refuses an unknown key", "/v1/batch/scrape", """{"urls":["https://example.com"],"url":"https://example.com"}""", 400, Refused("""{"code":"unrecognized_keys","keys":["url"],"path":[],"message":"Unrecognized key in body -- please review the v1 API documentation for request body changes"}""")),
        Post("batch zero data retention: accepts false", "/v1/batch/scrape", """{"urls":["https://example.com"],"zeroDataRetention":false}""", 200, BatchCreated),
        Post("batch zero data retention: refuses anything truthy, before the rest is checked", "/v1/batch/scrape", """{"zeroDataRetention":1}""", 400, ZeroDataRetention),
    ];

    [Theory]
    [MemberData(nameof(InputCheckExchanges))]
    public async Task Emulator_CreateInputChecks_AnswerAsTheServersValidatorStatesThem(string name)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();

        await AssertConformsAsync(emulator, InputChecks.Single(e => e.Name == name), []);
    }

    [Fact]
    public void InputChecks_EachCheckHasAnInputItAcceptsAndOneItRefuses()
    {
        foreach (IGrouping<string, Exchange> check in InputChecks.GroupBy(e => e.Name[..e.Name.IndexOf(':', StringComparison.Ordinal)]))
        {
            Assert.Contains(check, e => e.Status == 200);
            Assert.Contains(check, e => e.Status == 400);
        }
    }

    private static Exchange Post(string name, string target, string body, int status, string expected) =>
        new(name, "POST", target, status, expected, JsonHeaders, Headers: [("Content-Type", "application/json")], Body: body);

    private static string Refused(params string[] issues) =>
        $$"""{"success":false,"code":"BAD_REQUEST","error":"Bad Request","details":[{{string.Join(",", issues)}}]}""";

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

    /// <summary>
    /// How the server reads what arrives and frames what it sends, read from its source (<c>apps/api/src/index.ts</c>:
    /// body-parser's urlencoded parser with its default 100kb limit and its JSON parser with a 10mb limit, both before the
    /// cors middleware, then the error handler, whose last branch answers any error that is not a JSON syntax error) and
    /// from Node's HTTP server, which closes a connection the request asked to close and says so.
    /// </summary>
    public static TheoryData<string> FramingExchanges() => [.. Framings.Select(f => f.Exchange.Name)];

    private const string UnknownError = """{"success":false,"code":"UNKNOWN_ERROR","error":"An unexpected error occurred. Please contact help@firecrawl.com for help. Your exception ID is <uuid>"}""";
    private static readonly string[] CloseHeaders = ["X-Powered-By: Express", "Access-Control-Allow-Origin: *", "ETag: <etag>", "Date: <date>", "Connection: close", "Content-Type: application/json; charset=utf-8", "Content-Length: <length>"];
    private const int JsonLimit = 10 * 1024 * 1024;

    private static readonly (Exchange Exchange, byte[]? Body, Framing Framing, bool Closes)[] Framings =
    [
        (Post("a JSON body of exactly 10 MiB is read", "/v1/batch/scrape", string.Empty, 200, BatchCreated), Padded(JsonLimit), new Framing(), false),
        (Post("a JSON body of exactly 10 MiB, chunked, is read", "/v1/batch/scrape", string.Empty, 200, BatchCreated), Padded(JsonLimit), new Framing(Chunked: true), false),
        (Post("a JSON body one byte over, by its Content-Length, is refused by the parser", "/v1/batch/scrape", string.Empty, 500, UnknownError) with { ExpectedHeaders = JsonHeadersWithoutCors }, Padded(JsonLimit + 1), new Framing(), false),
        (Post("a JSON body one byte over, chunked, is refused the same way", "/v1/batch/scrape", string.Empty, 500, UnknownError) with { ExpectedHeaders = JsonHeadersWithoutCors }, Padded(JsonLimit + 1), new Framing(Chunked: true), false),
        (Post("a JSON body over the limit on a cancel route is refused before routing", "/v1/batch/scrape", string.Empty, 500, UnknownError) with { Method = "DELETE", Target = "/v1/batch/scrape/{job}", ExpectedHeaders = JsonHeadersWithoutCors }, Padded(JsonLimit + 1), new Framing(Chunked: true), false),
        (Post("valid JSON, chunked, is read", "/v1/crawl", string.Empty, 200, CrawlCreated), Encoding("""{"url":"https://example.com"}"""), new Framing(Chunked: true), false),
        (Post("malformed JSON, chunked, is a syntax error", "/v1/crawl", string.Empty, 400, """{"success":false,"code":"BAD_REQUEST_INVALID_JSON","error":"Bad request, malformed JSON"}""") with { ExpectedHeaders = JsonHeadersWithoutCors }, Encoding("""{"url":"""), new Framing(Chunked: true), false),
        (Post("a JSON charset that is not UTF is refused by the parser", "/v1/crawl", string.Empty, 500, UnknownError) with { ExpectedHeaders = JsonHeadersWithoutCors, Headers = [("Content-Type", "application/json; charset=latin1")] }, Encoding("""{"url":"https://example.com"}"""), new Framing(), false),
        (Post("a content encoding the parser cannot inflate is refused", "/v1/crawl", string.Empty, 500, UnknownError) with { ExpectedHeaders = JsonHeadersWithoutCors, Headers = [("Content-Type", "application/json"), ("Content-Encoding", "br")] }, Encoding("""{"url":"https://example.com"}"""), new Framing(), false),
        (Post("a form body over 100 KiB is refused by the urlencoded parser", "/v1/crawl", string.Empty, 500, UnknownError) with { ExpectedHeaders = JsonHeadersWithoutCors, Headers = [("Content-Type", "application/x-www-form-urlencoded")] }, new byte[(100 * 1024) + 1], new Framing(), false),
        (new Exchange("Connection: close is answered with Connection: close, and the connection closed", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, CloseHeaders, Headers: [("Connection", "close")]), null, new Framing(), true),
        (new Exchange("Connection: close on a 404 of a route Express does not have", "DELETE", "/v1/nothing/here", 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot DELETE /v1/nothing/here</pre>\n</body>\n</html>\n", [.. HtmlHeaders.Where(h => !h.StartsWith("Keep-Alive", StringComparison.Ordinal)).Select(h => h == "Connection: keep-alive" ? "Connection: close" : h)], Headers: [("Connection", "close")]), null, new Framing(), true),
        (new Exchange("an HTTP/1.0 request is answered and closed", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, CloseHeaders), null, new Framing(Version: "HTTP/1.0"), true),
        (new Exchange("an HTTP/1.0 request that asks for keep-alive keeps it", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, JsonHeaders, Headers: [("Connection", "keep-alive")]), null, new Framing(Version: "HTTP/1.0"), false),
        (new Exchange("an ordinary request keeps the connection open", "DELETE", "/v1/batch/scrape/{job}", 200, Cancelled, JsonHeaders), null, new Framing(), false),
    ];

    [Theory]
    [MemberData(nameof(FramingExchanges))]
    public async Task Emulator_Framing_AnswersAsTheServersParsersAndNodesHttpServerDo(string name)
    {
        (Exchange exchange, byte[]? body, Framing framing, bool closes) = Framings.Single(f => f.Exchange.Name == name);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        var ids = new Dictionary<string, string> { ["{job}"] = emulator.CreateBatchScrapeJob() };

        RawResponse response = await RawHttp.SendAsync(
            emulator.BaseAddress, exchange.Method, Fill(exchange.Target, ids), exchange.Headers ?? [("Content-Type", "application/json")], body, framing with { CheckClose = true });

        AssertAnswer(exchange, response, emulator.BaseAddress);
        Assert.Equal(closes, response.ClosedAfter);
    }

    /// <summary>A batch scrape's create body, padded with spaces (which JSON.parse skips) to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(int size)
    {
        byte[] json = Encoding("""{"urls":["https://example.com"]}""");
        byte[] body = new byte[size];
        json.CopyTo(body, 0);
        Array.Fill(body, (byte)' ', json.Length, size - json.Length);
        return body;
    }

    private static byte[] Encoding(string text) => System.Text.Encoding.UTF8.GetBytes(text);

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

        AssertAnswer(exchange, response, emulator.BaseAddress);
    }

    private static void AssertAnswer(Exchange exchange, RawResponse response, Uri baseAddress)
    {
        Assert.Equal(exchange.Status, response.Status);
        Assert.Equal(exchange.ExpectedBody, Normalise(response.Text, baseAddress));
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
