using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The emulator's control API, under <c>/__emulator/</c>, a prefix no Firecrawl route has: a test in any language creates
/// jobs in a given state, moves them on, queues faults, reads what was sent and resets everything, all in small JSON.
/// Off unless <see cref="FirecrawlEmulatorOptions.EnableControlApi"/> is set. Its answers are plain JSON, not Express's.
/// </summary>
internal sealed class ControlApi(FirecrawlEmulatorOptions options, EmulatorResponder responder, EmulatorFaults faults, RequestLog log)
{
    public const string Prefix = "/__emulator";

    private static readonly (string Name, EmulatorEndpoint Endpoint)[] RouteNames =
    [
        ("create-batch-scrape", EmulatorEndpoint.CreateBatchScrape),
        ("create-crawl", EmulatorEndpoint.CreateCrawl),
        ("batch-scrape-status", EmulatorEndpoint.BatchScrapeStatus),
        ("crawl-status", EmulatorEndpoint.CrawlStatus),
        ("cancel-batch-scrape", EmulatorEndpoint.CancelBatchScrape),
        ("cancel-crawl", EmulatorEndpoint.CancelCrawl),
        ("active-crawls", EmulatorEndpoint.ActiveCrawls),
    ];

    private static readonly string[] Index =
    [
        "GET /__emulator/",
        "POST /__emulator/jobs {\"kind\":\"crawl|batch-scrape\",\"apiKey\"?,\"status\"?,\"url\"?,\"total\"?}",
        "GET /__emulator/jobs",
        "GET /__emulator/jobs/{id}",
        "POST /__emulator/jobs/{id}/complete|fail|cancel|expire",
        "POST /__emulator/faults {\"fault\":{\"kind\":...},\"times\"?,\"route\"?,\"jobId\"?}",
        "DELETE /__emulator/faults",
        "POST /__emulator/rate-limit-everything {\"seconds\",\"retryAfterSeconds\"}",
        "GET /__emulator/requests",
        "DELETE /__emulator/requests",
        "POST /__emulator/reset",
    ];

    /// <summary>Whether a path is the control API's; matched without regard to case, as Express would.</summary>
    public static bool Owns(string path) =>
        path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

    public async Task AnswerAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string[] parts = (request.Path.Value ?? "/")[Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        (int status, string? json) answer;
        try
        {
            byte[]? bytes = await ExpressBodyParser.ReadBoundedAsync(request.Body, ExpressBodyParser.MaxControlBody, context.RequestAborted).ConfigureAwait(false);
            if (bytes is null)
            {
                answer = Problem(413, "The request body is larger than 1 MiB.");
            }
            else
            {
                using JsonDocument? body = bytes.Length == 0 ? null : JsonDocument.Parse(bytes);
                answer = Route(request.Method, parts, body?.RootElement);
            }
        }
        catch (JsonException)
        {
            answer = Problem(400, "The request body is not JSON.");
        }
        catch (ControlException problem)
        {
            answer = Problem(problem.Status, problem.Message);
        }

        HttpResponse response = context.Response;
        response.StatusCode = answer.status;
        if (answer.json is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(answer.json);
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private (int, string?) Route(string method, string[] parts, JsonElement? body) => (method, parts) switch
    {
        ("GET", []) => (200, Write(w =>
        {
            w.WriteStartArray("endpoints");
            Array.ForEach(Index, w.WriteStringValue);
            w.WriteEndArray();
        })),
        ("POST", ["jobs"]) => (201, JobJson(CreateJob(Required(body)))),
        ("GET", ["jobs"]) => (200, Write(w =>
        {
            w.WriteStartArray("jobs");
            responder.Jobs.All().ForEach(job => WriteJob(w, job));
            w.WriteEndArray();
        })),
        ("GET", ["jobs", string id]) => (200, JobJson(Find(id))),
        ("POST", ["jobs", string id, string action]) => (200, JobJson(Move(Find(id), action))),
        ("POST", ["faults"]) => (201, Write(w => w.WriteNumber("queued", QueueFaults(Required(body))))),
        ("DELETE", ["faults"]) => Cleared(faults.Clear),
        ("POST", ["rate-limit-everything"]) => (204, RateLimitEverything(Required(body))),
        ("GET", ["requests"]) => (200, RequestsJson()),
        ("DELETE", ["requests"]) => Cleared(log.ClearRequests),
        ("POST", ["reset"]) => Cleared(Reset),
        _ => throw new ControlException(404, $"No control endpoint {method} {InputText.Quote(Prefix + "/" + string.Join('/', parts), 200)}; GET {Prefix}/ lists them."),
    };

    private static (int, string?) Cleared(Action clear)
    {
        clear();
        return (204, null);
    }

    private void Reset()
    {
        responder.Jobs.Clear();
        responder.Limiter.Clear();
        faults.Clear();
        log.Clear();
    }

    private EmulatedJob CreateJob(JsonElement body)
    {
        Only(body, "kind", "apiKey", "status", "url", "total");
        bool crawl = String(body, "kind") switch
        {
            "crawl" => true,
            "batch-scrape" => false,
            _ => throw new ControlException(400, "\"kind\" must be \"crawl\" or \"batch-scrape\"."),
        };
        string team = TeamOf(body);
        EmulatedJobStatus status = Optional(body, "status") is { } named ? StatusNamed(named) : EmulatedJobStatus.Scraping;
        string? url = Optional(body, "url");
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new ControlException(400, "\"url\" must be an absolute URL.");
        }

        int total = Number(body, "total", 1, min: 0, max: 100_000);
        return responder.Endpoints.CreateJob(team, crawl, url, total, optionsJson: null, status);
    }

    /// <summary>The team of the key named, which must be one the emulator accepts; the key is never echoed.</summary>
    private string TeamOf(JsonElement body)
    {
        string? key = Optional(body, "apiKey");
        if (options.ApiKeys.Count == 0)
        {
            return key is null ? JobIds.KeylessTeam : throw new ControlException(400, "\"apiKey\" is for an emulator with keys; this one runs in the keyless self-hosted mode, with one team.");
        }

        if (key is null)
        {
            return options.ApiKeys[0];
        }

        return options.ApiKeys.Contains(key) ? key : throw new ControlException(400, "\"apiKey\" is not one of the keys this emulator accepts.");
    }

    private static EmulatedJobStatus StatusNamed(string name) => name switch
    {
        "scraping" => EmulatedJobStatus.Scraping,
        "completed" => EmulatedJobStatus.Completed,
        "failed" => EmulatedJobStatus.Failed,
        "cancelled" => EmulatedJobStatus.Cancelled,
        "expired" => EmulatedJobStatus.Expired,
        _ => throw new ControlException(400, "\"status\" must be one of scraping, completed, failed, cancelled, expired."),
    };

    private static string NameOf(EmulatedJobStatus status) => status switch
    {
        EmulatedJobStatus.Completed => "completed",
        EmulatedJobStatus.Failed => "failed",
        EmulatedJobStatus.Cancelled => "cancelled",
        EmulatedJobStatus.Expired => "expired",
        _ => "scraping",
    };

    private EmulatedJob Find(string id) =>
        responder.Jobs.TryGet(id, out EmulatedJob job) ? job : throw new ControlException(404, "The emulator has no job with that id.");

    private static EmulatedJob Move(EmulatedJob job, string action)
    {
        EmulatedJobStatus target = action switch
        {
            "complete" => EmulatedJobStatus.Completed,
            "fail" => EmulatedJobStatus.Failed,
            "cancel" => EmulatedJobStatus.Cancelled,
            "expire" => EmulatedJobStatus.Expired,
            _ => throw new ControlException(404, "A job's actions are complete, fail, cancel and expire."),
        };
        lock (job)
        {
            // Any job can expire; only a running one can end in some other way, as on the server.
            if (target != EmulatedJobStatus.Expired && job.Status != EmulatedJobStatus.Scraping)
            {
                throw new ControlException(409, $"The job is {NameOf(job.Status)}; only a running job can {action}.");
            }

            job.Status = target;
        }

        return job;
    }

    private int QueueFaults(JsonElement body)
    {
        Only(body, "fault", "times", "route", "jobId");
        EmulatorFault fault = FaultFrom(body.TryGetProperty("fault", out JsonElement f) && f.ValueKind == JsonValueKind.Object
            ? f
            : throw new ControlException(400, "\"fault\" must be an object such as {\"kind\":\"status\",\"status\":503}."));
        int times = Number(body, "times", 1, min: 1, max: 10_000);
        EmulatorFault[] queued = Enumerable.Repeat(fault, times).ToArray();
        string? route = Optional(body, "route");
        string? jobId = Optional(body, "jobId");
        if (route is not null && jobId is not null)
        {
            throw new ControlException(400, "Give \"route\" or \"jobId\", not both.");
        }

        if (jobId is not null)
        {
            faults.EnqueueForJob(jobId, queued);
        }
        else if (route is not null)
        {
            EmulatorEndpoint endpoint = RouteNames.FirstOrDefault(r => r.Name == route) is { Name: not null } found
                ? found.Endpoint
                : throw new ControlException(400, $"\"route\" must be one of {string.Join(", ", RouteNames.Select(static r => r.Name))}.");
            faults.EnqueueForEndpoint(endpoint, queued);
        }
        else
        {
            faults.Enqueue(queued);
        }

        return times;
    }

    /// <summary>A fault from its JSON form; the kinds and their fields are the library's <see cref="EmulatorFault"/> factories.</summary>
    internal static EmulatorFault FaultFrom(JsonElement fault)
    {
        string kind = String(fault, "kind");
        return kind switch
        {
            "status" => Checked(fault, ["status", "body"], () => EmulatorFault.Status(Status(fault, null), Optional(fault, "body"))),
            "delay" => Checked(fault, ["ms"], () => EmulatorFault.DelayBeforeHeaders(Milliseconds(fault))),
            "stall" => Checked(fault, ["ms"], () => EmulatorFault.StallMidBody(Milliseconds(fault))),
            "drop" => Checked(fault, [], EmulatorFault.DropConnection),
            "truncate" => Checked(fault, [], EmulatorFault.TruncatedBody),
            "html" => Checked(fault, ["status"], () => EmulatorFault.HtmlError(Status(fault, 502))),
            "oversized" => Checked(fault, ["bytes", "status"], () => EmulatorFault.OversizedBody(Number(fault, "bytes", null, min: 1, max: 1 << 30), Status(fault, 500))),
            "redirect" => Checked(fault, ["location", "status"], () => EmulatorFault.Redirect(
                Uri.TryCreate(String(fault, "location"), UriKind.Absolute, out Uri? to) && to.Scheme is "http" or "https" ? to : throw new ControlException(400, "\"location\" must be an absolute http or https URL."),
                Status(fault, 307) is var s and >= 300 and < 400 ? s : throw new ControlException(400, "A redirect's \"status\" must be a 3xx status."))),
            "retryAfter" => Checked(fault, ["status", "seconds", "until"], () => Optional(fault, "until") is { } until
                ? EmulatorFault.RetryAfter(Status(fault, 503), DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : throw new ControlException(400, "\"until\" must be a date, such as 2026-12-03T20:00:00Z."))
                : EmulatorFault.RetryAfter(Status(fault, 503), TimeSpan.FromSeconds(Number(fault, "seconds", null, min: 0, max: 86_400)))),
            "rateLimited" => Checked(fault, ["retryAfterSeconds"], () => EmulatorFault.RateLimited(Number(fault, "retryAfterSeconds", 60, min: 1, max: 86_400))),
            _ => throw new ControlException(400, "\"kind\" must be one of status, delay, stall, drop, truncate, html, oversized, redirect, retryAfter, rateLimited."),
        };
    }

    private static EmulatorFault Checked(JsonElement fault, string[] fields, Func<EmulatorFault> make)
    {
        Only(fault, [.. fields, "kind"]);
        return make();
    }

    private static int Status(JsonElement fault, int? fallback) => Number(fault, "status", fallback, min: 200, max: 599);

    private static TimeSpan Milliseconds(JsonElement fault) => TimeSpan.FromMilliseconds(Number(fault, "ms", null, min: 0, max: 600_000));

    private string? RateLimitEverything(JsonElement body)
    {
        Only(body, "seconds", "retryAfterSeconds");
        int seconds = Number(body, "seconds", null, min: 1, max: 86_400);
        faults.RateLimitEverythingFor(TimeSpan.FromSeconds(seconds), Number(body, "retryAfterSeconds", seconds, min: 1, max: 86_400));
        return null;
    }

    private string RequestsJson() => Write(w =>
    {
        w.WriteStartArray("requests");
        foreach (RecordedRequest request in log.Requests())
        {
            request.Headers.TryGetValue("Authorization", out string? authorization);
            string[] secrets = [.. options.ApiKeys, .. BearerOf(authorization)];
            w.WriteStartObject();
            w.WriteString("method", request.Method);
            w.WriteString("target", Redact(request.RawTarget, secrets));
            w.WriteStartObject("headers");
            foreach ((string name, string value) in request.Headers)
            {
                w.WriteString(name, name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? RedactedAuthorization(value) : RedactHeader(request, name, value, secrets));
            }

            w.WriteEndObject();
            if (responder.Auth.Accepts(authorization) is { } accepted)
            {
                w.WriteBoolean("keyAccepted", accepted);
            }
            else
            {
                w.WriteNull("keyAccepted");
            }

            w.WriteString("receivedAt", request.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("connectionId", request.ConnectionId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>The scheme stays (a test may check that it is <c>Bearer</c>); whatever follows it does not.</summary>
    private static string RedactedAuthorization(string value)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[..space] + " [redacted]" : "[redacted]";
    }

    private static IEnumerable<string> BearerOf(string? authorization)
    {
        int space = authorization?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0 && authorization![(space + 1)..].Trim() is { Length: >= 8 } token)
        {
            yield return token;
        }
    }

    /// <summary>Every secret masked, however it is written: another case, percent-encoded, escaped (<see cref="SecretText"/>).</summary>
    private static string Redact(string text, string[] secrets) => SecretText.Mask(text, secrets, "[redacted]");

    /// <summary>A header's value, masked with all its values seen as one, so a secret split across two lines or two values is found.</summary>
    private static string RedactHeader(RecordedRequest request, string name, string joined, string[] secrets) =>
        string.Join(",", SecretText.MaskHeader(request.HeaderValues.TryGetValue(name, out string[]? lines) ? lines : [joined], secrets, "[redacted]"));

    private static string JobJson(EmulatedJob job) => Write(w => WriteJobFields(w, job));

    private static void WriteJob(Utf8JsonWriter w, EmulatedJob job)
    {
        w.WriteStartObject();
        WriteJobFields(w, job);
        w.WriteEndObject();
    }

    private static void WriteJobFields(Utf8JsonWriter w, EmulatedJob job)
    {
        w.WriteString("id", job.Id);
        w.WriteString("kind", job.IsCrawl ? "crawl" : "batch-scrape");
        w.WriteString("status", NameOf(job.Status));
        w.WriteString("teamId", JobIds.TeamIdOf(job.Team));
        w.WriteString("url", job.Url);
        w.WriteNumber("total", job.Total);
        w.WriteString("createdAt", Express.IsoString(job.CreatedAt));
    }

    private static string Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: a person reads these answers, and \u0022 for every quote helps nobody. Nothing here is HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static (int, string?) Problem(int status, string message) => (status, Write(w => w.WriteString("error", message)));

    private static JsonElement Required(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } value ? value : throw new ControlException(400, "This endpoint takes a JSON object.");

    /// <summary>Refuses a field the endpoint does not know, so a typo is not silently a default.</summary>
    private static void Only(JsonElement body, params string[] known)
    {
        foreach (JsonProperty property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ControlException(400, $"Unknown field {InputText.Quote(property.Name)}; this takes {string.Join(", ", known.Select(static k => '"' + k + '"'))}.");
            }
        }
    }

    private static string String(JsonElement body, string name) =>
        Optional(body, name) ?? throw new ControlException(400, $"\"{name}\" is required.");

    private static string? Optional(JsonElement body, string name) =>
        !body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new ControlException(400, $"\"{name}\" must be a string.");

    private static int Number(JsonElement body, string name, int? fallback, int min, int max)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback ?? throw new ControlException(400, $"\"{name}\" is required.");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= min && number <= max
            ? number
            : throw new ControlException(400, $"\"{name}\" must be a whole number from {min} to {max}.");
    }

    /// <summary>A request the control API refuses, with the status and the words it answers with.</summary>
    private sealed class ControlException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
