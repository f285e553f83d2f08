using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// <c>GET /v1/crawl/active</c>: the team's crawls that are neither cancelled nor finished. The server lists crawls
/// only, never batch scrapes. A list can be long, so its body bound is larger than a cancel's.
/// </summary>
internal sealed class ActiveCrawlsOperation()
    : FirecrawlOperation<IReadOnlyList<ActiveCrawl>>(
        "GetActiveCrawls",
        "active crawls",
        FirecrawlJobKind.Crawl.RateLimitBucket,
        new OperationRoutes(
            new(FirecrawlApiVersion.V1, nameof(IFirecrawlApi.GetActiveCrawlsV1Async), static (api, _, token) => api.GetActiveCrawlsV1Async(token)),
            new(FirecrawlApiVersion.V2, nameof(IFirecrawlApi.GetActiveCrawlsV2Async), static (api, _, token) => api.GetActiveCrawlsV2Async(token))),
        MaxListBodyBytes)
{
    /// <summary>The one instance: the operation holds no state.</summary>
    public static ActiveCrawlsOperation Instance { get; } = new();

    /// <summary>16 MiB: about a hundred thousand crawls with their options.</summary>
    public const int MaxListBodyBytes = 16 * 1024 * 1024;

    public override string Verb => "Listing";

    public override IReadOnlyList<ActiveCrawl> MapSuccess(AttemptResponse response, string id, CallState call, ClientRuntime runtime)
    {
        if (response.Body.Truncated)
        {
            throw BodyTooLarge(response, id, call, runtime, "is more than the client reads");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(response.Body.Span.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("crawls", out JsonElement crawls) || crawls.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("An active-crawls answer is an object with a 'crawls' array.");
            }

            var list = new List<ActiveCrawl>(crawls.GetArrayLength());
            SecretRedactor redactor = runtime.Redactor;
            foreach (JsonElement crawl in crawls.EnumerateArray())
            {
                string crawlId = Text(crawl, "id") ?? throw new JsonException("A listed crawl has no 'id'.");

                // An id is sent back in a cancel and shown in logs, traces and the CLI; it cannot be masked without
                // becoming another id, and no real id holds the client's key, so such a list is refused whole.
                if (redactor.Holds(crawlId))
                {
                    throw new JsonException("A listed crawl's id holds this client's API key or a DefaultHeaders value.");
                }

                list.Add(new ActiveCrawl
                {
                    Id = crawlId,
                    Url = redactor.RedactOrNull(Text(crawl, "url")),
                    TeamId = redactor.RedactOrNull(Text(crawl, "teamId")),
                    CreatedAt = Text(crawl, "created_at") is { } created
                        && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null,
                    Options = crawl.ValueKind == JsonValueKind.Object && crawl.TryGetProperty("options", out JsonElement options) && options.ValueKind == JsonValueKind.Object
                        ? options.Clone()
                        : null,
                });
            }

            return list;
        }
        catch (JsonException exception)
        {
            throw UnreadableBody(response, id, call, runtime, "a list of active crawls", exception);
        }
    }

    public override bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out IReadOnlyList<ActiveCrawl> result)
    {
        result = [];
        return false;
    }

    public override string OutcomeTag(IReadOnlyList<ActiveCrawl> result) => "listed";

    public override string OutcomeName(IReadOnlyList<ActiveCrawl> result) => "Listed";

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
