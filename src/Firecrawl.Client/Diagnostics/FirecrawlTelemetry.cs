using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Firecrawl.Client;

/// <summary>
/// Traces and metrics for calls of every operation, the operation a tag. Tags follow the OpenTelemetry HTTP conventions where they apply. When nobody
/// listens, an activity is never created and no measurement is taken, so the success path pays almost nothing.
/// </summary>
internal static class FirecrawlTelemetry
{
    private static readonly string Version =
        typeof(FirecrawlTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource Source = new(FirecrawlDiagnostics.ActivitySourceName, Version);

    private static readonly Meter Meter = new(FirecrawlDiagnostics.MeterName, Version);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        FirecrawlDiagnostics.OperationDurationInstrumentName, unit: "s", description: "Duration of a call of any operation, retries and waits included.");

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        FirecrawlDiagnostics.OperationOutcomesInstrumentName, unit: "{call}", description: "Calls of every operation by outcome.");

#pragma warning disable CS0618 // The earlier names, kept as aliases for one release so dashboards built on them keep working.
    private static readonly Histogram<double> LegacyDuration = Meter.CreateHistogram<double>(
        FirecrawlDiagnostics.DurationInstrumentName, unit: "s", description: "Deprecated: firecrawl.client.operation.duration under its earlier name.");

    private static readonly Counter<long> LegacyOutcomes = Meter.CreateCounter<long>(
        FirecrawlDiagnostics.OutcomesInstrumentName, unit: "{call}", description: "Deprecated: firecrawl.client.operation.outcomes under its earlier name.");
#pragma warning restore CS0618

    public static Activity? Start<TResult>(FirecrawlOperation<TResult> operation, OperationRoute route, string jobId, ClientConfiguration configuration)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(operation.ActivityName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", route.Method.Method);
            activity.SetTag("server.address", configuration.BaseAddress.Host);
            activity.SetTag("server.port", configuration.BaseAddress.Port);
            activity.SetTag("url.template", route.Path);
            activity.SetTag("firecrawl.operation", operation.Name);
            if (jobId.Length > 0)
            {
                activity.SetTag("firecrawl.job_id", jobId);
            }
        }

        return activity;
    }

    public static void Succeeded<TResult>(FirecrawlOperation<TResult> operation, Activity? activity, long startedTimestamp, TResult result, int statusCode, int retries, ClientRuntime runtime)
    {
        string outcomeTag = operation.OutcomeTag(result);
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", statusCode);
            activity.SetTag("firecrawl.retry_count", retries);
            activity.SetTag("firecrawl.outcome", outcomeTag);
        }

        Record(operation.Name, startedTimestamp, outcomeTag, errorType: null, runtime);
    }

    public static void Failed<TResult>(FirecrawlOperation<TResult> operation, Activity? activity, long startedTimestamp, Exception error, int retries, ClientRuntime runtime)
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

        Record(operation.Name, startedTimestamp, outcomeTag, errorType, runtime);
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
        ObjectDisposedException => "client_disposed",
        OperationCanceledException => "caller_cancelled",
        _ => "network_error",
    };

    private static void Record(string operation, long startedTimestamp, string outcome, string? errorType, ClientRuntime runtime)
    {
        if (!Duration.Enabled && !Outcomes.Enabled && !LegacyDuration.Enabled && !LegacyOutcomes.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "firecrawl.outcome", outcome },
            { "server.address", runtime.Configuration.BaseAddress.Host },
            { "firecrawl.operation", operation },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        double seconds = runtime.Clock.GetElapsedTime(startedTimestamp).TotalSeconds;
        Outcomes.Add(1, tags);
        Duration.Record(seconds, tags);
        LegacyOutcomes.Add(1, tags);
        LegacyDuration.Record(seconds, tags);
    }
}
