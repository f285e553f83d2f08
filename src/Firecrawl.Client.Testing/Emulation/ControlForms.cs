using System.Globalization;
using System.Text.Json;

namespace Firecrawl.Client.Testing;

/// <summary>
/// Each fault and each job field the control API takes, described once: its name, its JSON form, what it does, and how
/// it is read. The control API's parsing, its error texts, its index and the tables in docs/emulator.md all come from
/// these lists (a test holds the docs to them), so a new fault or field is one more row here.
/// </summary>
internal static class ControlForms
{
    /// <summary>
    /// One fault: its <c>kind</c>, its fields (as the docs write them), what the response is, an example of its JSON form,
    /// and its reading.
    /// </summary>
    public sealed record FaultForm(string Kind, FaultKind Does, string[] Fields, string FieldsText, string Effect, string Example, Func<JsonElement, EmulatorFault> Read);

    /// <summary>One field of <c>POST /__emulator/jobs</c>, and what it sets.</summary>
    public sealed record JobField(string Name, string Meaning);

    /// <summary>Every fault, in the order the docs list them.</summary>
    public static IReadOnlyList<FaultForm> Faults { get; } =
    [
        new("status", FaultKind.Status, ["status", "body"], "`status`, optional `body` (exact JSON text)", "that status and body", """{"kind":"status","status":503}""",
            f => EmulatorFault.Status(Status(f, null), ControlJson.Optional(f, "body"))),
        new("rateLimited", FaultKind.RateLimited, ["retryAfterSeconds"], "`retryAfterSeconds` (default 60)", "the server's real 429", """{"kind":"rateLimited","retryAfterSeconds":9}""",
            f => EmulatorFault.RateLimited(ControlJson.Number(f, "retryAfterSeconds", 60, min: 1, max: 86_400))),
        new("retryAfter", FaultKind.RetryAfter, ["status", "seconds", "until"], "`status` (default 503), `seconds` or `until` (a date)", "that status with a `Retry-After` header", """{"kind":"retryAfter","status":503,"seconds":7}""",
            f => ControlJson.Optional(f, "until") is { } until
                ? EmulatorFault.RetryAfter(Status(f, 503), DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : throw new ControlException(400, "\"until\" must be a date, such as 2026-12-03T20:00:00Z."))
                : EmulatorFault.RetryAfter(Status(f, 503), TimeSpan.FromSeconds(ControlJson.Number(f, "seconds", null, min: 0, max: 86_400)))),
        new("html", FaultKind.HtmlError, ["status"], "`status` (default 502)", "a gateway's HTML error page", """{"kind":"html","status":502}""",
            f => EmulatorFault.HtmlError(Status(f, 502))),
        new("redirect", FaultKind.Redirect, ["location", "status"], "`location`, `status` (default 307)", "a redirect", """{"kind":"redirect","location":"http://127.0.0.1:1/elsewhere"}""",
            f => EmulatorFault.Redirect(
                Uri.TryCreate(ControlJson.String(f, "location"), UriKind.Absolute, out Uri? to) && to.Scheme is "http" or "https" ? to : throw new ControlException(400, "\"location\" must be an absolute http or https URL."),
                Status(f, 307) is var s and >= 300 and < 400 ? s : throw new ControlException(400, "A redirect's \"status\" must be a 3xx status."))),
        new("oversized", FaultKind.OversizedBody, ["bytes", "status"], "`bytes`, `status` (default 500)", "a streamed body of that many bytes", """{"kind":"oversized","bytes":100000}""",
            f => EmulatorFault.OversizedBody(ControlJson.Number(f, "bytes", null, min: 1, max: 1 << 30), Status(f, 500))),
        new("delay", FaultKind.DelayBeforeHeaders, ["ms"], "`ms`", "a normal answer after the delay", """{"kind":"delay","ms":10}""",
            f => EmulatorFault.DelayBeforeHeaders(Milliseconds(f))),
        new("stall", FaultKind.StallMidBody, ["ms"], "`ms`", "headers and half the body, a stall, then the rest", """{"kind":"stall","ms":10}""",
            f => EmulatorFault.StallMidBody(Milliseconds(f))),
        new("truncate", FaultKind.TruncatedBody, [], string.Empty, "half the body, then the connection closed", """{"kind":"truncate"}""",
            _ => EmulatorFault.TruncatedBody()),
        new("drop", FaultKind.DropConnection, [], string.Empty, "the connection closed without an answer", """{"kind":"drop"}""",
            _ => EmulatorFault.DropConnection()),
    ];

    /// <summary>Every field a job can be created with, in the order the docs list them.</summary>
    public static IReadOnlyList<JobField> JobFields { get; } =
    [
        new("kind", "required: `batch-scrape`, `crawl` or `agent` (`agent` on the newer profiles)"),
        new("apiKey", "one of the accepted keys: the job's team (default: the first key)"),
        new("status", "`scraping` (default), `completed`, `failed`, `cancelled` or `expired`"),
        new("url", "the URL it scrapes (default `https://example.com`)"),
        new("total", "pages known (default 1 for a batch scrape, 0 for a crawl whose kickoff has not run)"),
        new("completed", "pages (for an agent job, credits) already done"),
        new("inFlight", "pages (for an agent job, credits) in flight: a cancel does not stop them, and they count after it"),
        new("drainMs", "how long the work in flight takes to finish after a cancel (default 0: at once)"),
    ];

    /// <summary>A fault from its JSON form; any field its form does not name is refused.</summary>
    public static EmulatorFault FaultFrom(JsonElement fault)
    {
        string kind = ControlJson.String(fault, "kind");
        FaultForm form = Faults.FirstOrDefault(f => f.Kind == kind)
            ?? throw new ControlException(400, $"\"kind\" must be one of {string.Join(", ", Faults.Select(static f => f.Kind))}.");
        ControlJson.Only(fault, [.. form.Fields, "kind"]);
        return form.Read(fault);
    }

    private static int Status(JsonElement fault, int? fallback) => ControlJson.Number(fault, "status", fallback, min: 200, max: 599);

    private static TimeSpan Milliseconds(JsonElement fault) => TimeSpan.FromMilliseconds(ControlJson.Number(fault, "ms", null, min: 0, max: 600_000));
}

/// <summary>The control API's reading of small JSON: a wrong type, range or unknown field is a 400 that says so.</summary>
internal static class ControlJson
{
    public static JsonElement Required(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } value ? value : throw new ControlException(400, "This endpoint takes a JSON object.");

    /// <summary>Refuses a field the endpoint does not know, so a typo is not silently a default.</summary>
    public static void Only(JsonElement body, params string[] known)
    {
        foreach (JsonProperty property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ControlException(400, $"Unknown field {InputText.Quote(property.Name)}; this takes {string.Join(", ", known.Select(static k => '"' + k + '"'))}.");
            }
        }
    }

    public static string String(JsonElement body, string name) =>
        Optional(body, name) ?? throw new ControlException(400, $"\"{name}\" is required.");

    public static string? Optional(JsonElement body, string name) =>
        !body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new ControlException(400, $"\"{name}\" must be a string.");

    public static int Number(JsonElement body, string name, int? fallback, int min, int max)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback ?? throw new ControlException(400, $"\"{name}\" is required.");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= min && number <= max
            ? number
            : throw new ControlException(400, $"\"{name}\" must be a whole number from {min} to {max}.");
    }
}

/// <summary>A request the control API refuses, with the status and the words it answers with.</summary>
internal sealed class ControlException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
