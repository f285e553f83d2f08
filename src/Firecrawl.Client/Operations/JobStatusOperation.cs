using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// A status read of one kind of job: <c>GET /v1|v2/{kind}/{id}</c>, in the same rate-limit bucket as its cancel. Only the
/// first page's top-level fields are read, never <c>data</c> and never <c>next</c>: the figures are on the first page,
/// and on some servers a cancelled job's <c>next</c> points at itself, so following it never ends. The page's documents
/// can be megabytes; the read stops at its bound, and the fields before <c>data</c> are read from what arrived.
/// </summary>
internal sealed class JobStatusOperation(FirecrawlJobKind kind)
    : FirecrawlOperation<FirecrawlJobStatus>("Get" + kind.OperationName + "Status", kind.Noun, kind.RateLimitBucket, kind.StatusRoutes, MaxStatusBodyBytes)
{
    /// <summary>
    /// Enough for every field a status has before its documents, with room to spare; the rest of a large page is never
    /// read (and its connection is dropped rather than drained).
    /// </summary>
    public const int MaxStatusBodyBytes = 64 * 1024;

    public FirecrawlJobKind Kind { get; } = kind;

    public override string Verb => "Reading the status of";

    public override FirecrawlJobStatus MapSuccess(AttemptResponse response, string id, CallState call, ClientRuntime runtime)
    {
        try
        {
            return Parse(response.Body.Span, isWhole: !response.Body.Truncated, id, runtime.Redactor);
        }
        catch (JsonException exception)
        {
            if (response.Body.Truncated)
            {
                throw BodyTooLarge(response, id, call, runtime, "holds no status before its bound");
            }

            throw UnreadableBody(response, id, call, runtime, "a job status", exception);
        }
    }

    public override bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out FirecrawlJobStatus result)
    {
        result = null!;
        return false;
    }

    public override string OutcomeTag(FirecrawlJobStatus result) => "read";

    public override string OutcomeName(FirecrawlJobStatus result) => result.State.ToString();

    /// <summary>
    /// The top-level fields of a status answer, read off the bytes. A body cut at the bound is read as far as it goes:
    /// every field a status has comes before its documents.
    /// </summary>
    internal FirecrawlJobStatus Parse(ReadOnlySpan<byte> json, bool isWhole, string id, SecretRedactor redactor)
    {
        var reader = new Utf8JsonReader(json, isWhole, default);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A status answer is a JSON object.");
        }

        string? status = null;
        string? error = null;
        int? completed = null;
        int? total = null;
        int? credits = null;
        DateTimeOffset? expires = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (!reader.Read())
            {
                break;
            }

            switch (name)
            {
                case "status":
                    status = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("'status' is not a string.");
                    break;
                case "error" when reader.TokenType == JsonTokenType.String:
                    error = redactor.Redact(reader.GetString()!);
                    break;
                case "completed":
                    completed = Count(ref reader);
                    break;
                case "total":
                    total = Count(ref reader);
                    break;
                case "creditsUsed":
                    // -1 is a self-hosted server's "unknown": never a refund, and never a figure to add up.
                    credits = Count(ref reader) is >= 0 and var used ? used : null;
                    break;
                case "expiresAt" when reader.TokenType == JsonTokenType.String:
                    expires = DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null;
                    break;
                default:
                    if (!reader.TrySkip())
                    {
                        // A value cut by the bound (the documents): everything a status says came before it.
                        goto done;
                    }

                    break;
            }
        }

    done:
        if (status is null)
        {
            throw new JsonException("A status answer has a 'status'.");
        }

        return new FirecrawlJobStatus
        {
            JobId = id,
            Kind = Kind,
            Status = redactor.Redact(status),
            State = Kind.StateOf(status, error),
            Completed = Kind.CountsPages ? completed : null,
            Total = Kind.CountsPages ? total : null,
            CreditsUsed = credits,
            ExpiresAt = expires,
            Error = error,
        };
    }

    /// <summary>A count: a whole number, or null for anything else (a server that sends null or a string means no count).</summary>
    private static int? Count(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            // Passed over whole, or the fields after it (the status among them) would go unread. One cut by the bound
            // cannot be passed over, and the read ends at it as it does at the documents.
            reader.TrySkip();
            return null;
        }

        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)Math.Round(value)
            : null;
    }
}
