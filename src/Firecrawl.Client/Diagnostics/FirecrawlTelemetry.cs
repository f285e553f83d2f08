using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Firecrawl.Client;

/// <summary>
/// Traces and metrics for cancel calls. Tags follow the OpenTelemetry HTTP conventions where they apply. When nobody
/// listens, an activity is never created and no measurement is taken, so the success path pays almost nothing.
/// </summary>
internal static class FirecrawlTelemetry
{
    private static readonly string Version =
        typeof(FirecrawlTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource Source = new(FirecrawlDiagnostics.ActivitySourceName, Version);

    private static readonly Meter Meter = new(FirecrawlDiagnostics.MeterName, Version);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        FirecrawlDiagnostics.DurationInstrumentName, unit: "s", description: "Duration of a cancel call, retries and waits included.");

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        FirecrawlDiagnostics.OutcomesInstrumentName, unit: "{call}", description: "Cancel calls by outcome.");

    public static Activity? StartCancel(JobKind kind, string jobId, FirecrawlClientSettings settings)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(
            kind == JobKind.BatchScrape ? "Firecrawl.CancelBatchScrape" : "Firecrawl.CancelCrawl", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", "DELETE");
            activity.SetTag("server.address", settings.BaseAddress.Host);
            activity.SetTag("server.port", settings.BaseAddress.Port);
            activity.SetTag("url.template", settings.VersionPath + (kind == JobKind.BatchScrape ? "/batch/scrape/{id}" : "/crawl/{id}"));
            activity.SetTag("firecrawl.job_id", jobId);
        }

        return activity;
    }

    public static void Succeeded(Activity? activity, long startedTimestamp, CancelOutcome outcome, int statusCode, int retries, FirecrawlClientSettings settings)
    {
        string outcomeTag = outcome == CancelOutcome.Cancelled ? "cancelled" : "already_completed";
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", statusCode);
            activity.SetTag("firecrawl.retry_count", retries);
            activity.SetTag("firecrawl.outcome", outcomeTag);
        }

        Record(startedTimestamp, outcomeTag, errorType: null, settings);
    }

    public static void Failed(Activity? activity, long startedTimestamp, Exception error, int retries, FirecrawlClientSettings settings)
    {
        string outcomeTag = OutcomeOf(error);
        string errorType = error is FirecrawlApiException api
            ? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (error.InnerException ?? error).GetType().FullName ?? "_OTHER";
        if (activity is not null)
        {
            if (error is FirecrawlApiException { StatusCode: var status })
            {
                activity.SetTag("http.response.status_code", (int)status);
            }

            activity.SetTag("error.type", errorType);
            activity.SetTag("firecrawl.retry_count", retries);
            activity.SetTag("firecrawl.outcome", outcomeTag);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        Record(startedTimestamp, outcomeTag, errorType, settings);
    }

    /// <summary>A stable, low-cardinality name for how a call ended.</summary>
    public static string OutcomeOf(Exception error) => error switch
    {
        FirecrawlNotFoundException => "not_found",
        FirecrawlUnauthorizedException => "unauthorized",
        FirecrawlForbiddenException => "forbidden",
        FirecrawlRateLimitException => "rate_limited",
        FirecrawlServerException => "server_error",
        FirecrawlApiException => "api_error",
        FirecrawlTimeoutException => "timeout",
        OperationCanceledException => "caller_cancelled",
        _ => "network_error",
    };

    private static void Record(long startedTimestamp, string outcome, string? errorType, FirecrawlClientSettings settings)
    {
        if (!Duration.Enabled && !Outcomes.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "firecrawl.outcome", outcome },
            { "server.address", settings.BaseAddress.Host },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        Outcomes.Add(1, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tags);
    }
}
