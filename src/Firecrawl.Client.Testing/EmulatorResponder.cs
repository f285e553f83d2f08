using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The server's behaviour, row by row from the contract (docs/server-behaviour.md): jobs, keys, rate
/// limits and the exact bodies, plus the writing of faults.
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
        _profile = EmulatorProfile.From(options);
    }

    public Uri BaseAddress { get; set; } = null!;

    public string CreateJob(string team, bool isCrawl)
    {
        string id = NewUuidV7(_options.TimeProvider.GetUtcNow());
        _jobs[id] = new Job(team, isCrawl);
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

    public async Task<EmulatorAnswer> AnswerAsync(HttpContext context, EmulatorRoute route)
    {
        if (route.Endpoint is not { } endpoint)
        {
            return CannotRoute(route);
        }

        if (Authenticate(context.Request) is not { } team)
        {
            return Unauthorized(context.Request);
        }

        if (RateLimit(team) is { } limited)
        {
            return limited;
        }

        return endpoint switch
        {
            EmulatorEndpoint.CreateBatchScrape or EmulatorEndpoint.CreateCrawl => await CreateAsync(context, route, team).ConfigureAwait(false),
            EmulatorEndpoint.BatchScrapeStatus or EmulatorEndpoint.CrawlStatus => Status(route, route.JobId!, team),
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
                await WriteAsync(context, new EmulatorAnswer(fault.StatusCode, fault.Body ?? ErrorBody(DefaultText(fault.StatusCode))), shaping: null).ConfigureAwait(false);
                return true;
            case FaultKind.HtmlError:
                string html = $"<html>\r\n<head><title>{fault.StatusCode} {DefaultText(fault.StatusCode)}</title></head>\r\n<body>\r\n<center><h1>{fault.StatusCode} {DefaultText(fault.StatusCode)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
                await WriteAsync(context, new EmulatorAnswer(fault.StatusCode, html, "text/html"), shaping: null).ConfigureAwait(false);
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
                await WriteAsync(context, new EmulatorAnswer(fault.StatusCode, ErrorBody(DefaultText(fault.StatusCode), success: false)), shaping: null).ConfigureAwait(false);
                return true;
            case FaultKind.RateLimited:
                await WriteAsync(context, RateLimitedAnswer(4, (int)fault.Delay.TotalSeconds, _options.TimeProvider.GetUtcNow() + fault.Delay), shaping: null).ConfigureAwait(false);
                return true;
            case FaultKind.OversizedBody:
                await WriteOversizedAsync(context, fault).ConfigureAwait(false);
                return true;
            default:
                throw new InvalidOperationException($"Unknown fault {fault.Kind}.");
        }
    }

    public static async Task WriteAsync(HttpContext context, EmulatorAnswer answer, EmulatorFault? shaping)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(answer.Body);
        HttpResponse response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        response.ContentLength = bytes.Length;
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
            return KeylessTeam;
        }

        string? header = request.Headers.Authorization;
        if (header is null || !AuthenticationHeaderValue.TryParse(header, out AuthenticationHeaderValue? parsed)
            || !string.Equals(parsed.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(parsed.Parameter))
        {
            return null;
        }

        return _options.ApiKeys.Contains(parsed.Parameter) ? parsed.Parameter : null;
    }

    private static EmulatorAnswer Unauthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        string text = header is null ? "Unauthorized"
            : header.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? "Unauthorized: Token missing"
            : "Unauthorized: Invalid token";
        return new EmulatorAnswer(401, ErrorBody(text, success: false));
    }

    private EmulatorAnswer? RateLimit(string team)
    {
        if (_options.RateLimitPerWindow is not { } limit)
        {
            return null;
        }

        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        Window window = _windows.GetOrAdd(team, _ => new Window(now));
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

            DateTimeOffset resets = window.Start + _options.RateLimitWindow;
            int seconds = Math.Max(1, (int)Math.Ceiling((resets - now).TotalSeconds));
            return RateLimitedAnswer(window.Count - 1, seconds, resets);
        }
    }

    private static EmulatorAnswer RateLimitedAnswer(int consumed, int retryAfterSeconds, DateTimeOffset resets) =>
        new(429, ErrorBody(
            string.Create(CultureInfo.InvariantCulture, $"Rate limit exceeded. Consumed (req/min): {consumed}, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after {retryAfterSeconds}s, resets at {resets.UtcDateTime:ddd MMM dd yyyy HH:mm:ss} GMT+0000 (Coordinated Universal Time)"),
            success: false));

    private async Task<EmulatorAnswer> CreateAsync(HttpContext context, EmulatorRoute route, string team)
    {
        string field = route.IsCrawl ? "url" : "urls";
        bool valid = false;
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(
                new LimitedStream(context.Request.Body, MaxRequestBody), cancellationToken: context.RequestAborted).ConfigureAwait(false);
            JsonElement root = document.RootElement;
            valid = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(field, out JsonElement value) && (route.IsCrawl
                ? value.ValueKind == JsonValueKind.String
                : value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0);
        }
        catch (JsonException)
        {
            valid = false;
        }

        if (!valid)
        {
            return new EmulatorAnswer(400, ErrorBody($"Bad Request: '{field}' is required", success: false));
        }

        string id = CreateJob(team, route.IsCrawl);
        string url = $"{BaseAddress.AbsoluteUri}{route.Version}/{(route.IsCrawl ? "crawl" : "batch/scrape")}/{id}";
        return new EmulatorAnswer(200, $"{{\"success\":true,\"id\":\"{id}\",\"url\":{Quote(url)}}}");
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
        int completed = job.Status == EmulatedJobStatus.Completed ? 1 : 0;
        string expires = _options.TimeProvider.GetUtcNow().AddHours(24).ToString("O", CultureInfo.InvariantCulture);
        return new EmulatorAnswer(200, $"{{\"success\":true,\"status\":\"{status}\",\"total\":1,\"completed\":{completed},\"creditsUsed\":{completed},\"expiresAt\":\"{expires}\",\"data\":[]}}");
    }

    private EmulatorAnswer Cancel(EmulatorRoute route, string id, string team)
    {
        bool v2 = route.Version == "v2";
        bool isUuid = Guid.TryParse(id, out _);
        if (v2 && _profile.V2ChecksUuid && !isUuid)
        {
            return new EmulatorAnswer(400, ErrorBody("Invalid job ID format. Job ID must be a valid UUID.", success: false));
        }

        if (!isUuid || !_jobs.TryGetValue(id, out Job? job))
        {
            return new EmulatorAnswer(404, v2 && _profile.V2WrapsBodies ? ErrorBody("Job not found", success: false) : ErrorBody("Job not found"));
        }

        if (job.Team != team)
        {
            return new EmulatorAnswer(v2 && _profile.V2HidesForeignJobs ? 404 : 403, ErrorBody("Unauthorized"));
        }

        lock (job)
        {
            if (job.Status == EmulatedJobStatus.Completed)
            {
                return _profile.ConflictOnCompletedJobs
                    ? new EmulatorAnswer(409, ErrorBody("Crawl is already completed", success: false))
                    : new EmulatorAnswer(200, """{"status":"cancelled"}""");
            }

            job.Status = EmulatedJobStatus.Cancelled;
        }

        return new EmulatorAnswer(200, v2 && _profile.V2WrapsBodies ? """{"success":true,"status":"cancelled"}""" : """{"status":"cancelled"}""");
    }

    /// <summary>Express's answer for a route it does not have, such as <c>DELETE /v1/batch/scrape/</c>.</summary>
    private static EmulatorAnswer CannotRoute(EmulatorRoute route) =>
        new(404, $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {route.Method} {route.Path}</pre>\n</body>\n</html>\n", "text/html; charset=utf-8");

    private static string ErrorBody(string text, bool? success = null) =>
        success is null ? $"{{\"error\":{Quote(text)}}}" : $"{{\"success\":false,\"error\":{Quote(text)}}}";

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).ToString() + "\"";

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

    private sealed class Job(string team, bool isCrawl)
    {
        public string Team { get; } = team;

        public bool IsCrawl { get; } = isCrawl;

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
