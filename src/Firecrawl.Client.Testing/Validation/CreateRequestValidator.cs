using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The input checks of <c>POST /v1|v2/crawl</c> and <c>POST /v1|v2/batch/scrape</c>, as the server's source states them
/// (its zod request schemas and controllers, August 2025 build), and nothing the server does not check. Each check is
/// named after the line of the server it follows; <c>docs/emulator.md</c> lists what is not modelled.
/// </summary>
internal static partial class CreateRequestValidator
{
    public const string ZeroDataRetentionRefused =
        """{"success":false,"error":"Zero data retention is enabled for this team. If you're interested in ZDR, please contact support@firecrawl.com"}""";

    /// <summary>The keys of <c>crawlRequestSchema</c> (v1), in the schema's order.</summary>
    private static readonly string[] V1CrawlKeys =
    [
        "includePaths", "excludePaths", "maxDepth", "maxDiscoveryDepth", "limit", "allowBackwardLinks", "crawlEntireDomain",
        "allowExternalLinks", "allowSubdomains", "ignoreRobotsTxt", "ignoreSitemap", "deduplicateSimilarURLs",
        "ignoreQueryParameters", "regexOnFullURL", "delay", "url", "origin", "integration", "scrapeOptions", "webhook",
        "maxConcurrency", "zeroDataRetention",
    ];

    /// <summary>The keys of <c>crawlRequestSchema</c> (v2): no <c>maxDepth</c>, <c>sitemap</c> instead of <c>ignoreSitemap</c>, and <c>prompt</c>.</summary>
    private static readonly string[] V2CrawlKeys =
    [
        "includePaths", "excludePaths", "maxDiscoveryDepth", "limit", "crawlEntireDomain", "allowExternalLinks",
        "allowSubdomains", "ignoreRobotsTxt", "sitemap", "deduplicateSimilarURLs", "ignoreQueryParameters", "regexOnFullURL",
        "delay", "url", "origin", "integration", "scrapeOptions", "webhook", "maxConcurrency", "zeroDataRetention", "prompt",
    ];

    /// <summary>The keys of <c>baseScrapeOptions</c> (v1).</summary>
    private static readonly string[] V1ScrapeKeys =
    [
        "formats", "headers", "includeTags", "excludeTags", "onlyMainContent", "timeout", "waitFor", "extract", "jsonOptions",
        "changeTrackingOptions", "mobile", "parsePDF", "actions", "location", "geolocation", "skipTlsVerification",
        "removeBase64Images", "fastMode", "useMock", "blockAds", "proxy", "maxAge", "storeInCache", "__experimental_cache",
        "__searchPreviewToken", "__experimental_omce", "__experimental_omceDomain",
    ];

    /// <summary>The keys of <c>baseScrapeOptions</c> (v2).</summary>
    private static readonly string[] V2ScrapeKeys =
    [
        "formats", "headers", "includeTags", "excludeTags", "onlyMainContent", "timeout", "waitFor", "mobile", "parsers",
        "actions", "location", "skipTlsVerification", "removeBase64Images", "fastMode", "useMock", "blockAds", "proxy",
        "maxAge", "storeInCache", "__searchPreviewToken", "__experimental_omce", "__experimental_omceDomain",
    ];

    /// <summary>What <c>batchScrapeRequestSchema</c> adds to the scrape options.</summary>
    private static readonly string[] BatchKeys =
        ["urls", "origin", "integration", "webhook", "appendToId", "ignoreInvalidURLs", "maxConcurrency", "zeroDataRetention"];

    /// <summary>A crawl request: the URL to store, or the server's 400 body.</summary>
    public static (string? Url, string? Refusal) CheckCrawl(string version, JsonElement? body)
    {
        bool v1 = version == "v1";
        var issues = new ZodIssues();
        JsonElement root = body ?? EmptyObject;
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.InvalidType("object", root, []);
            return (null, issues.Body());
        }

        JsonElement? maxDepth = Field(root, "maxDepth");
        if (v1 && maxDepth is { ValueKind: not JsonValueKind.Number } badDepth)
        {
            issues.InvalidType("number", badDepth, ["maxDepth"]);
        }

        string? url = CheckUrl(Field(root, "url"), ["url"], issues);
        CheckObject(Field(root, "scrapeOptions"), v1 ? V1ScrapeKeys : V2ScrapeKeys, StrictMessage(version), ["scrapeOptions"], issues);
        CheckBoolean(root, "zeroDataRetention", issues);
        CheckKnownKeys(root, v1 ? V1CrawlKeys : V2CrawlKeys, StrictMessage(version), [], issues);

        // v1's refinement over the whole request: the URL's own depth may not exceed maxDepth (default 10).
        if (v1 && !issues.Aborted && url is not null
            && (!WhatwgUrl.TryParse(url, out _, out string pathname) || Depth(pathname) > (maxDepth?.GetDouble() ?? 10)))
        {
            issues.Custom("URL depth exceeds the specified maxDepth", ["url"]);
        }

        if (issues.Count > 0)
        {
            return (null, issues.Body());
        }

        // After the parse, the controller refuses zero data retention for a team without the flag, as every self-hosted team is.
        return Field(root, "zeroDataRetention") is { ValueKind: JsonValueKind.True } ? (null, ZeroDataRetentionRefused) : (url, null);
    }

    /// <summary>A batch scrape request: the URLs to scrape and those set aside, or the server's 400 body.</summary>
    public static (IReadOnlyList<string>? Urls, IReadOnlyList<string>? InvalidUrls, string? Refusal) CheckBatch(string version, JsonElement? body)
    {
        bool v1 = version == "v1";
        JsonElement root = body ?? EmptyObject;

        // Before the parse: `if (req.body.zeroDataRetention && !req.acuc?.flags?.allowZDR)`, with JavaScript's truthiness.
        if (root.ValueKind == JsonValueKind.Object && Field(root, "zeroDataRetention") is { } zdr && IsTruthy(zdr))
        {
            return (null, null, ZeroDataRetentionRefused);
        }

        var issues = new ZodIssues();
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.InvalidType("object", root, []);
            return (null, null, issues.Body());
        }

        // `ignoreInvalidURLs === true` picks the schema that takes any strings; otherwise each URL is checked.
        bool lenient = Field(root, "ignoreInvalidURLs") is { ValueKind: JsonValueKind.True };
        var urls = new List<string>();
        if (Field(root, "urls") is not { ValueKind: JsonValueKind.Array } list)
        {
            issues.InvalidType("array", Field(root, "urls"), ["urls"]);
        }
        else
        {
            int index = 0;
            foreach (JsonElement element in list.EnumerateArray())
            {
                if (lenient)
                {
                    if (element.ValueKind == JsonValueKind.String)
                    {
                        urls.Add(element.GetString()!);
                    }
                    else
                    {
                        issues.InvalidType("string", element, ["urls", index]);
                    }
                }
                else if (CheckUrl(element, ["urls", index], issues) is { } url)
                {
                    urls.Add(url);
                }

                index++;
            }
        }

        CheckBoolean(root, "ignoreInvalidURLs", issues);
        CheckBoolean(root, "zeroDataRetention", issues);
        CheckKnownKeys(root, [.. v1 ? V1ScrapeKeys : V2ScrapeKeys, .. BatchKeys], StrictMessage(version), [], issues);
        if (issues.Count > 0)
        {
            return (null, null, issues.Body());
        }

        // The parsed default: false on v1, true on v2. Then each URL is checked again, and the ones that fail set aside.
        bool ignoreInvalid = Field(root, "ignoreInvalidURLs") is { } flag ? flag.ValueKind == JsonValueKind.True : !v1;
        if (!ignoreInvalid)
        {
            return (urls, null, null);
        }

        var valid = new List<string>();
        var invalid = new List<string>();
        foreach (string url in urls)
        {
            var again = new ZodIssues();
            if (CheckUrl(url, isString: true, value: null, [], again) is { } normalised && again.Count == 0)
            {
                valid.Add(normalised);
            }
            else
            {
                invalid.Add(url);
            }
        }

        return (valid, invalid, null);
    }

    /// <summary>
    /// The server's <c>url</c> schema: a preprocess that puts <c>http://</c> in front of anything without a scheme (any
    /// value, as JavaScript turns it into a string), then <c>z.string().url()</c>, the http(s) regex, the top-level
    /// domain refinement and <c>checkUrl</c>. Returns the string the server would keep, or null when it is not one.
    /// </summary>
    public static string? CheckUrl(JsonElement? value, IReadOnlyList<object> path, ZodIssues issues) =>
        CheckUrl(JavaScriptString(value), value is { ValueKind: JsonValueKind.String }, value, path, issues);

    private static string? CheckUrl(string text, bool isString, JsonElement? value, IReadOnlyList<object> path, ZodIssues issues)
    {
        string? candidate = !ProtocolIncluded().IsMatch(text) ? "http://" + text
            : isString ? text
            : null;
        if (candidate is null)
        {
            issues.InvalidType("string", value, path);
            return null;
        }

        if (!WhatwgUrl.TryParse(candidate, out _, out _))
        {
            issues.InvalidString("url", "Invalid url", path);
        }

        if (!HttpScheme().IsMatch(candidate))
        {
            issues.InvalidString("regex", "URL uses unsupported protocol", path);
        }

        if (!TopLevelDomain().IsMatch(candidate))
        {
            issues.Custom("URL must have a valid top-level domain or be a valid path", path);
        }

        if (!PassesCheckUrl(candidate))
        {
            issues.Custom("Invalid URL", path);
        }

        return candidate;
    }

    /// <summary><c>checkUrl</c> in <c>lib/validateUrl.ts</c>: parses, is http(s), and has one colon before the first dot.</summary>
    private static bool PassesCheckUrl(string url) =>
        WhatwgUrl.TryParse(url, out string scheme, out _)
        && scheme is "http" or "https"
        && url.Split('.')[0].Count(static c => c == ':') == 1;

    /// <summary><c>getURLDepth</c>: the path's segments, not counting empty ones, <c>index.php</c> or <c>index.html</c>.</summary>
    private static int Depth(string pathname) =>
        pathname.Split('/').Count(static s => s is not ("" or "index.php" or "index.html"));

    private static void CheckObject(JsonElement? value, string[] known, string strictMessage, IReadOnlyList<object> path, ZodIssues issues)
    {
        if (value is not { } present)
        {
            return;
        }

        if (present.ValueKind != JsonValueKind.Object)
        {
            issues.InvalidType("object", present, path);
            return;
        }

        CheckKnownKeys(present, known, strictMessage, path, issues);
    }

    private static void CheckBoolean(JsonElement root, string name, ZodIssues issues)
    {
        if (Field(root, name) is { ValueKind: not (JsonValueKind.True or JsonValueKind.False) } value)
        {
            issues.InvalidType("boolean", value, [name]);
        }
    }

    private static void CheckKnownKeys(JsonElement value, string[] known, string strictMessage, IReadOnlyList<object> path, ZodIssues issues)
    {
        List<string> unknown = [.. value.EnumerateObject().Select(static p => p.Name).Where(name => !known.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
        if (unknown.Count > 0)
        {
            issues.UnrecognizedKeys(unknown, strictMessage, path);
        }
    }

    private static string StrictMessage(string version) =>
        $"Unrecognized key in body -- please review the {version} API documentation for request body changes";

    /// <summary>A field as Express's JSON parser leaves it; the last of repeated keys wins, as in JavaScript.</summary>
    private static JsonElement? Field(JsonElement root, string name)
    {
        JsonElement? found = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                found = property.Value;
            }
        }

        return found;
    }

    /// <summary>How JavaScript's template literal (<c>`${x}`</c>) turns a JSON value into a string.</summary>
    public static string JavaScriptString(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "undefined",
        JsonValueKind.String => value.Value.GetString()!,
        JsonValueKind.Number => JavaScriptNumber(value.Value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => string.Join(",", value.Value.EnumerateArray().Select(static e => e.ValueKind is JsonValueKind.Null ? string.Empty : JavaScriptString(e))),
        _ => "[object Object]",
    };

    private static string JavaScriptNumber(double number)
    {
        if (number == Math.Floor(number) && Math.Abs(number) < 1e21)
        {
            return number.ToString("0", CultureInfo.InvariantCulture);
        }

        string text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }

    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.False or JsonValueKind.Null => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        _ => true,
    };

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary><c>protocolIncluded</c>: a scheme and <c>://</c> before any dot.</summary>
    [GeneratedRegex(@"^([^.:]+:\/\/)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolIncluded();

    [GeneratedRegex(@"^https?:\/\/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HttpScheme();

    /// <summary>The schema's top-level domain test, run on the whole URL (so <c>http://127.0.0.1:1/x.html</c> passes on <c>.html</c>).</summary>
    [GeneratedRegex(@"(\.[a-zA-Z0-9\-\u0400-\u04FF\u0500-\u052F\u2DE0-\u2DFF\uA640-\uA69F]{2,}|\.xn--[a-zA-Z0-9\-]{1,})(:[0-9]+)?([\/?#]|\z)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopLevelDomain();
}
