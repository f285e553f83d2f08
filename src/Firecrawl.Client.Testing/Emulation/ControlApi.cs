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

    /// <summary>The endpoints, for <c>GET /__emulator/</c>: the job and fault forms come from <see cref="ControlForms"/>.</summary>
    private static readonly string[] Index =
    [
        "GET /__emulator/",
        $"POST /__emulator/jobs {{{string.Join(",", ControlForms.JobFields.Select(static (f, i) => i == 0 ? $"\"{f.Name}\"" : $"\"{f.Name}\"?"))}}}",
        "GET /__emulator/jobs",
        "GET /__emulator/jobs/{id}",
        "POST /__emulator/jobs/{id}/complete|fail|cancel|expire",
        $"POST /__emulator/faults {{\"fault\":{{\"kind\":\"{string.Join("|", ControlForms.Faults.Select(static f => f.Kind))}\"}},\"times\"?,\"route\"?,\"jobId\"?}}",
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
        ("POST", ["jobs"]) => (201, JobJson(CreateJob(ControlJson.Required(body)))),
        ("GET", ["jobs"]) => (200, Write(w =>
        {
            w.WriteStartArray("jobs");
            responder.Jobs.All().ForEach(job => WriteJob(w, job));
            w.WriteEndArray();
        })),
        ("GET", ["jobs", string id]) => (200, JobJson(Find(id))),
        ("POST", ["jobs", string id, string action]) => (200, JobJson(Move(Find(id), action))),
        ("POST", ["faults"]) => (201, Write(w => w.WriteNumber("queued", QueueFaults(ControlJson.Required(body))))),
        ("DELETE", ["faults"]) => Cleared(faults.Clear),
        ("POST", ["rate-limit-everything"]) => (204, RateLimitEverything(ControlJson.Required(body))),
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
        ControlJson.Only(body, [.. ControlForms.JobFields.Select(static f => f.Name)]);
        string named = ControlJson.String(body, "kind");
        FirecrawlJobKind[] kinds = [.. EmulatorRoutes.Kinds(responder.Profile)];
        FirecrawlJobKind kind = kinds.FirstOrDefault(k => k.Name == named)
            ?? throw new ControlException(400, FirecrawlJobKind.All.Any(k => k.Name == named)
                ? $"This emulator answers like a server build without {InputText.Quote(named)} jobs; start it with a newer profile."
                : $"\"kind\" must be one of {string.Join(", ", kinds.Select(static k => '"' + k.Name + '"'))}.");
        string team = TeamOf(body);
        EmulatedJobStatus status = ControlJson.Optional(body, "status") is { } state ? StatusNamed(state) : EmulatedJobStatus.Scraping;
        string? url = ControlJson.Optional(body, "url");
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new ControlException(400, "\"url\" must be an absolute URL.");
        }

        int completed = ControlJson.Number(body, "completed", 0, min: 0, max: 100_000);
        int inFlight = ControlJson.Number(body, "inFlight", 0, min: 0, max: 100_000);
        int drainMs = ControlJson.Number(body, "drainMs", 0, min: 0, max: 3_600_000);
        int? total = body.TryGetProperty("total", out _) ? ControlJson.Number(body, "total", null, min: 0, max: 100_000) : null;
        if (total < completed + inFlight)
        {
            throw new ControlException(400, "\"total\" counts the pages completed and in flight, so it cannot be less than \"completed\" plus \"inFlight\".");
        }

        EmulatedJob job = responder.Endpoints.CreateJob(team, kind, url, total, optionsJson: null, status);
        lock (job)
        {
            job.Completed = completed;
            job.InFlight = inFlight;
            job.DrainTime = TimeSpan.FromMilliseconds(drainMs);
            job.Total = Math.Max(job.Total, completed + inFlight);
        }

        return job;
    }

    /// <summary>The team of the key named, which must be one the emulator accepts; the key is never echoed.</summary>
    private string TeamOf(JsonElement body)
    {
        string? key = ControlJson.Optional(body, "apiKey");
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
        ControlJson.Only(body, "fault", "times", "route", "jobId");
        EmulatorFault fault = ControlForms.FaultFrom(body.TryGetProperty("fault", out JsonElement f) && f.ValueKind == JsonValueKind.Object
            ? f
            : throw new ControlException(400, "\"fault\" must be an object such as {\"kind\":\"status\",\"status\":503}."));
        int times = ControlJson.Number(body, "times", 1, min: 1, max: 10_000);
        EmulatorFault[] queued = Enumerable.Repeat(fault, times).ToArray();
        string? route = ControlJson.Optional(body, "route");
        string? jobId = ControlJson.Optional(body, "jobId");
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
            IReadOnlyList<string> names = responder.Routes.Names;
            faults.EnqueueForRoute(
                names.Contains(route, StringComparer.Ordinal) ? route : throw new ControlException(400, $"\"route\" must be one of {string.Join(", ", names)}."),
                queued);
        }
        else
        {
            faults.Enqueue(queued);
        }

        return times;
    }

    private string? RateLimitEverything(JsonElement body)
    {
        ControlJson.Only(body, "seconds", "retryAfterSeconds");
        int seconds = ControlJson.Number(body, "seconds", null, min: 1, max: 86_400);
        faults.RateLimitEverythingFor(TimeSpan.FromSeconds(seconds), ControlJson.Number(body, "retryAfterSeconds", seconds, min: 1, max: 86_400));
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
            if (request.StatusCode is { } status)
            {
                w.WriteNumber("status", status);
            }
            else
            {
                w.WriteNull("status");
            }

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
        w.WriteString("kind", job.Kind.Name);
        lock (job)
        {
            w.WriteString("status", NameOf(job.Status));
            w.WriteString("teamId", JobIds.TeamIdOf(job.Team));
            w.WriteString("url", job.Url);
            w.WriteNumber("total", job.Total);
            w.WriteNumber("completed", job.Completed);
            w.WriteNumber("inFlight", job.InFlight);
            w.WriteNumber("drainMs", (long)job.DrainTime.TotalMilliseconds);
        }

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
}
