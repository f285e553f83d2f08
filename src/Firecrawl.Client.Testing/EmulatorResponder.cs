using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The server's behaviour, row by row from the recording (docs/server-behaviour.md): jobs, keys, rate limits and the
/// exact bodies, plus the writing of faults.
/// </summary>
internal sealed class EmulatorResponder
{
    public const string KeylessTeam = "(self-hosted)";

    private const string JsonType = "application/json; charset=utf-8";
    private const int MaxRequestBody = 1024 * 1024;

    private readonly FirecrawlEmulatorOptions _options;
    private readonly EmulatorProfile _profile;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public EmulatorResponder(FirecrawlEmulatorOptions options)
    {
        _options = options;
        _profile = EmulatorProfile.For(options.Profile);
    }

    public Uri BaseAddress { get; set; } = null!;

    public string CreateJob(string team, bool isCrawl, string? url = null, int total = 1, string? optionsJson = null)
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        string id = _profile.UuidV7Ids ? NewUuidV7(now) : Guid.NewGuid().ToString();
        _jobs[id] = new Job(team, isCrawl, url ?? "https://example.com", total, now, optionsJson);
        return id;
    }

    public void SetStatus(string jobId, EmulatedJobStatus status)
    {
        if (!_jobs.TryGetValue(jobId, out Job? job))
        {
            throw new KeyNotFoundException($"The emulator has no job '{jobId}'.");
        }

        job.Status = status;
    }

    public EmulatedJobStatus? GetStatus(string jobId) => _jobs.TryGetValue(jobId, out Job? job) ? job.Status : null;

    /// <summary>The team id the server reports for a key, such as <c>bypass</c> in its no-auth mode.</summary>
    public static string TeamIdOf(string team) =>
        team == KeylessTeam ? "bypass" : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(team)).AsSpan(0, 16)).ToString();

    /// <summary>
    /// Answers a request as the server's middleware chain does: the JSON body parser, then CORS, then the route's auth,
    /// rate limiter and handler; Express's 404 for any route it does not have.
    /// </summary>
    public async Task AnswerAsync(HttpContext context, EmulatorRoute route, string rawTarget, EmulatorFault? shaping)
    {
        HttpRequest request = context.Request;
        (bool bodyOk, JsonDocument? body) = await ReadJsonBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        using (body)
        {
            if (!bodyOk)
            {
                // The body parser's error handler answers before the cors middleware runs.
                byte[] refused = Express.Json(context.Response, 400, """{"success":false,"code":"BAD_REQUEST_INVALID_JSON","error":"Bad request, malformed JSON"}""", cors: false);
                await WriteBodyAsync(context, refused, shaping).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Origin") && request.Headers.ContainsKey("Access-Control-Request-Method"))
            {
                Express.WritePreflight(context);
                return;
            }

            EmulatorAnswer answer = route.Endpoint is { } endpoint ? Answer(request, route, endpoint, body) : new EmulatorAnswer(404, string.Empty, NotFoundPage: true);
            byte[] bytes = answer.NotFoundPage
                ? Express.NotFound(context.Response, request.Method, rawTarget)
                : Express.Json(context.Response, answer.Status, answer.Body);
            await WriteBodyAsync(context, bytes, shaping).ConfigureAwait(false);
        }
    }

    private EmulatorAnswer Answer(HttpRequest request, EmulatorRoute route, EmulatorEndpoint endpoint, JsonDocument? body)
    {
        if (Authenticate(request) is not { } team)
        {
            return Unauthorized(request);
        }

        if (RateLimit(team, route.IsCreate) is { } limited)
        {
            return limited;
        }

        return endpoint switch
        {
            EmulatorEndpoint.CreateBatchScrape or EmulatorEndpoint.CreateCrawl => Create(route, team, body),
            EmulatorEndpoint.BatchScrapeStatus or EmulatorEndpoint.CrawlStatus => Status(route, route.JobId!, team),
            EmulatorEndpoint.ActiveCrawls => ActiveCrawls(team),
            _ => Cancel(route, route.JobId!, team),
        };
    }

    public async Task<bool> TryWriteFaultAsync(HttpContext context, EmulatorFault fault)
    {
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        switch (fault.Kind)
        {
            case FaultKind.DelayBeforeHeaders:
                await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
                return false;
            case FaultKind.StallMidBody or FaultKind.TruncatedBody:
                return false;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.Status:
                await WriteRawAsync(context, fault.StatusCode, fault.Body ?? ErrorBody(DefaultText(fault.StatusCode)), Express.JsonType).ConfigureAwait(false);
                return true;
            case FaultKind.HtmlError:
                string html = $"<html>\r\n<head><title>{fault.StatusCode} {DefaultText(fault.StatusCode)}</title></head>\r\n<body>\r\n<center><h1>{fault.StatusCode} {DefaultText(fault.StatusCode)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
                await WriteRawAsync(context, fault.StatusCode, html, "text/html").ConfigureAwait(false);
                return true;
            case FaultKind.Redirect:
                response.StatusCode = fault.StatusCode;
                response.Headers.Location = fault.Location!.AbsoluteUri;
                response.ContentLength = 0;
                return true;
            case FaultKind.RetryAfter:
                response.Headers.RetryAfter = fault.RetryAfterDelta is { } delta
                    ? ((long)Math.Ceiling(delta.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
                    : fault.RetryAfterDate!.Value.ToString("R", CultureInfo.InvariantCulture);
                await WriteRawAsync(context, fault.StatusCode, ErrorBody(DefaultText(fault.StatusCode), success: false), Express.JsonType).ConfigureAwait(false);
                return true;
            case FaultKind.RateLimited:
                EmulatorAnswer limited = RateLimitedAnswer(6, fault.Delay, _options.TimeProvider.GetUtcNow());
                await WriteBodyAsync(context, Express.Json(response, limited.Status, limited.Body), shaping: null).ConfigureAwait(false);
                return true;
            case FaultKind.OversizedBody:
                await WriteOversizedAsync(context, fault).ConfigureAwait(false);
                return true;
            default:
                throw new InvalidOperationException($"Unknown fault {fault.Kind}.");
        }
    }

    /// <summary>A scripted answer, written as given: gateways and proxies are not Express.</summary>
    private static Task WriteRawAsync(HttpContext context, int status, string body, string contentType)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        return WriteBodyAsync(context, bytes, shaping: null);
    }

    /// <summary>Writes a body whose headers are set, stalled or cut half way when a fault shapes it.</summary>
    private static async Task WriteBodyAsync(HttpContext context, byte[] bytes, EmulatorFault? shaping)
    {
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        if (shaping?.Kind is FaultKind.StallMidBody or FaultKind.TruncatedBody && bytes.Length > 1)
        {
            int half = bytes.Length / 2;
            await response.Body.WriteAsync(bytes.AsMemory(0, half), aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            if (shaping.Kind == FaultKind.TruncatedBody)
            {
                context.Abort();
                return;
            }

            await Task.Delay(shaping.Delay, aborted).ConfigureAwait(false);
            await response.Body.WriteAsync(bytes.AsMemory(half), aborted).ConfigureAwait(false);
            return;
        }

        await response.Body.WriteAsync(bytes, aborted).ConfigureAwait(false);
    }

    private static async Task WriteOversizedAsync(HttpContext context, EmulatorFault fault)
    {
        HttpResponse response = context.Response;
        response.StatusCode = fault.StatusCode;
        response.ContentType = JsonType;
        response.ContentLength = fault.Size;
        byte[] chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'x');
        byte[] head = Encoding.UTF8.GetBytes("{\"error\":\"");
        long left = fault.Size;
        int first = (int)Math.Min(head.Length, left);
        await response.Body.WriteAsync(head.AsMemory(0, first), context.RequestAborted).ConfigureAwait(false);
        left -= first;
        while (left > 0 && !context.RequestAborted.IsCancellationRequested)
        {
            int size = (int)Math.Min(chunk.Length, left);
            await response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted).ConfigureAwait(false);
            left -= size;
        }
    }

    private string? Authenticate(HttpRequest request)
    {
        if (_options.ApiKeys.Count == 0)
        {
            // The no-auth mode: every request is the same team, whatever it carries.
            return KeylessTeam;
        }

        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        string token = header["Bearer ".Length..].Trim();
        return IsWellFormedKey(token) && _options.ApiKeys.Contains(token) ? token : null;
    }

    /// <summary>A key the server could ever accept: <c>fc-</c> and 32 hex digits, a UUID without its dashes.</summary>
    public static bool IsWellFormedKey(string key) =>
        key.Length == 35 && key.StartsWith("fc-", StringComparison.Ordinal) && key.AsSpan(3).IndexOfAnyExcept(HexDigits) < 0;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static EmulatorAnswer Unauthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        string text = header is null ? "Unauthorized"
            : header.Trim() == "Bearer" ? "Unauthorized: Token missing"
            : "Unauthorized: Invalid token";
        return new EmulatorAnswer(401, ErrorBody(text, success: false));
    }

    /// <summary>
    /// The server's limiter: per team and per mode, a fixed window from the team's first request in it, refused
    /// requests counted, and the wait named as <c>Math.round(msBeforeNext / 1000) || 1</c> seconds.
    /// </summary>
    private EmulatorAnswer? RateLimit(string team, bool create)
    {
        if ((create ? _options.CreateRateLimitPerWindow : _options.RateLimitPerWindow) is not { } limit)
        {
            return null;
        }

        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        Window window = _windows.GetOrAdd((create ? "crawl:" : "crawlStatus:") + team, _ => new Window(now));
        lock (window)
        {
            if (now >= window.Start + _options.RateLimitWindow)
            {
                window.Start = now;
                window.Count = 0;
            }

            window.Count++;
            if (window.Count <= limit)
            {
                return null;
            }

            TimeSpan beforeNext = window.Start + _options.RateLimitWindow - now;
            return RateLimitedAnswer(window.Count, beforeNext, now);
        }
    }

    /// <summary>The server's 429 body, byte for byte.</summary>
    public static EmulatorAnswer RateLimitedAnswer(int consumed, TimeSpan beforeNext, DateTimeOffset now)
    {
        long seconds = (long)Math.Round(beforeNext.TotalMilliseconds / 1000, MidpointRounding.AwayFromZero);
        string resets = Express.DateString(now + beforeNext);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"Rate limit exceeded. Consumed (req/min): {consumed}, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after {(seconds == 0 ? 1 : seconds)}s, resets at {resets}");
        return new EmulatorAnswer(429, ErrorBody(text, success: false));
    }

    /// <summary>
    /// <c>POST /v1|v2/crawl</c> and <c>/v1|v2/batch/scrape</c>: the server's input checks (<see cref="CreateRequestValidator"/>),
    /// then a job and the answer the controller writes.
    /// </summary>
    private EmulatorAnswer Create(EmulatorRoute route, string team, JsonDocument? body)
    {
        JsonElement? root = body?.RootElement;
        string? url;
        int total = 1;
        string invalid = string.Empty;
        if (route.IsCrawl)
        {
            (url, string? refusal) = CreateRequestValidator.CheckCrawl(route.Version!, root);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }
        }
        else
        {
            (IReadOnlyList<string>? urls, IReadOnlyList<string>? invalidUrls, string? refusal) = CreateRequestValidator.CheckBatch(route.Version!, root);
            if (refusal is not null)
            {
                return new EmulatorAnswer(400, refusal);
            }

            total = urls!.Count;
            url = total > 0 ? urls[0] : null;
            invalid = invalidUrls is null ? string.Empty : $",\"invalidURLs\":[{string.Join(",", invalidUrls.Select(Express.Quote))}]";
        }

        string? options = route.IsCrawl && root is { } request ? CrawlOptions(request) : null;
        string id = CreateJob(team, route.IsCrawl, url, total, options);
        string location = $"{BaseAddress.AbsoluteUri}{route.Version}/{(route.IsCrawl ? "crawl" : "batch/scrape")}/{id}";
        return new EmulatorAnswer(200, $"{{\"success\":true,\"id\":\"{id}\",\"url\":{Express.Quote(location)}{invalid}}}");
    }

    private EmulatorAnswer Status(EmulatorRoute route, string id, string team)
    {
        if (!_jobs.TryGetValue(id, out Job? job) || job.Team != team)
        {
            return new EmulatorAnswer(404, ErrorBody("Job not found", success: false));
        }

        string status = job.Status switch
        {
            EmulatedJobStatus.Completed => "completed",
            EmulatedJobStatus.Cancelled => "cancelled",
            _ => "scraping",
        };
        int completed = job.Status == EmulatedJobStatus.Completed ? job.Total : 0;
        string expires = Express.IsoString(_options.TimeProvider.GetUtcNow().AddHours(24).AddTicks(-(_options.TimeProvider.GetUtcNow().Ticks % TimeSpan.TicksPerSecond)));
        string next = $"{BaseAddress.AbsoluteUri}{route.Version}/{(route.IsCrawl ? "crawl" : "batch/scrape")}/{id}?skip=0";
        return new EmulatorAnswer(
            200,
            string.Create(CultureInfo.InvariantCulture, $"{{\"success\":true,\"status\":\"{status}\",\"completed\":{completed},\"total\":{job.Total},\"creditsUsed\":{completed},\"expiresAt\":\"{expires}\",\"next\":{Express.Quote(next)},\"data\":[]}}"));
    }

    /// <summary>The team's crawls that are neither cancelled nor finished; batch scrapes are never listed.</summary>
    private EmulatorAnswer ActiveCrawls(string team)
    {
        var crawls = new StringBuilder();
        foreach (Job job in _jobs.Values.Where(j => j.Team == team && j.IsCrawl && j.Status == EmulatedJobStatus.Scraping).OrderBy(j => j.CreatedAt))
        {
            string id = _jobs.First(pair => ReferenceEquals(pair.Value, job)).Key;
            crawls.Append(crawls.Length == 0 ? string.Empty : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"teamId\":{Express.Quote(TeamIdOf(team))},\"url\":{Express.Quote(job.Url)},\"created_at\":\"{Express.IsoString(job.CreatedAt)}\",\"options\":{job.OptionsJson ?? DefaultCrawlOptions}}}");
        }

        return new EmulatorAnswer(200, $"{{\"success\":true,\"crawls\":[{crawls}]}}");
    }

    private EmulatorAnswer Cancel(EmulatorRoute route, string id, string team)
    {
        bool wrap = route.Version == "v2" && _profile.V2WrapsBodies;
        bool isUuid = Guid.TryParse(id, out _);
        if (route.Version == "v2" && _profile.V2ChecksUuid && !isUuid)
        {
            return new EmulatorAnswer(400, ErrorBody("Invalid job ID format. Job ID must be a valid UUID.", success: false));
        }

        if (!isUuid || !_jobs.TryGetValue(id, out Job? job))
        {
            return new EmulatorAnswer(404, wrap ? ErrorBody("Job not found", success: false) : ErrorBody("Job not found"));
        }

        if (job.Team != team)
        {
            return route.Version == "v2" && _profile.V2HidesForeignJobs
                ? new EmulatorAnswer(404, ErrorBody("Job not found"))
                : new EmulatorAnswer(403, ErrorBody("Unauthorized"));
        }

        lock (job)
        {
            if (job.Status == EmulatedJobStatus.Completed && _profile.ConflictOnCompletedJobs)
            {
                return new EmulatorAnswer(409, wrap ? ErrorBody("Crawl is already completed", success: false) : ErrorBody("Crawl is already completed"));
            }

            if (job.Status != EmulatedJobStatus.Completed)
            {
                job.Status = EmulatedJobStatus.Cancelled;
            }
        }

        return new EmulatorAnswer(200, wrap ? """{"success":true,"status":"cancelled"}""" : """{"status":"cancelled"}""");
    }

    /// <summary>
    /// Express's JSON body parser: a body sent as <c>application/json</c> must be an object or an array (strict mode);
    /// an empty one counts as none. Anything else is refused before routing.
    /// </summary>
    private static async Task<(bool Ok, JsonDocument? Body)> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (true, null);
        }

        using var buffer = new MemoryStream();
        await new LimitedStream(request.Body, MaxRequestBody).CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (true, null);
        }

        try
        {
            JsonDocument document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return (true, document);
            }

            document.Dispose();
            return (false, null);
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }

    /// <summary>The crawl options the server stores and lists: what the request set, over the server's defaults.</summary>
    private static string CrawlOptions(JsonElement root)
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["includePaths"] = "[]",
            ["excludePaths"] = "[]",
            ["limit"] = "10000",
            ["maxDepth"] = "10",
        };
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name != "url")
            {
                options[property.Name] = property.Value.GetRawText();
            }
        }

        return "{" + string.Join(",", options.Select(static o => Express.Quote(o.Key) + ":" + o.Value)) + "}";
    }

    private const string DefaultCrawlOptions = """{"excludePaths":[],"includePaths":[],"limit":10000,"maxDepth":10}""";

    private static string ErrorBody(string text, bool? success = null) =>
        success is null ? $"{{\"error\":{Express.Quote(text)}}}" : $"{{\"success\":false,\"error\":{Express.Quote(text)}}}";

    private static string DefaultText(int status) => status switch
    {
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => $"Status {status}",
    };

    /// <summary>A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, as the server's newer ids.</summary>
    private static string NewUuidV7(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        long millis = now.ToUnixTimeMilliseconds();
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(millis >> (8 * (5 - i)));
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private sealed class Job(string team, bool isCrawl, string url, int total, DateTimeOffset createdAt, string? optionsJson)
    {
        public string Team { get; } = team;

        public bool IsCrawl { get; } = isCrawl;

        public string Url { get; } = url;

        public int Total { get; } = total;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public string? OptionsJson { get; } = optionsJson;

        public EmulatedJobStatus Status { get; set; }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }

    /// <summary>Refuses a request body past a bound, so a test cannot make the emulator buffer gigabytes.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _read += read;
            return _read > limit ? throw new JsonException("The request body is too large.") : read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
