namespace Firecrawl.Client;

/// <summary>
/// The names to subscribe to for traces and metrics, for example
/// <c>tracing.AddSource(FirecrawlDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(FirecrawlDiagnostics.MeterName)</c> in OpenTelemetry.
/// </summary>
public static class FirecrawlDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: one activity per cancel call.</summary>
    public const string ActivitySourceName = "Firecrawl.Client";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Firecrawl.Client";

    /// <summary>The histogram of whole-call durations, retries included, in seconds.</summary>
    public const string DurationInstrumentName = "firecrawl.client.cancel.duration";

    /// <summary>The counter of call outcomes, tagged <c>firecrawl.outcome</c>.</summary>
    public const string OutcomesInstrumentName = "firecrawl.client.cancel.outcomes";

    /// <summary>The category of the SDK's log events.</summary>
    public const string LoggerCategory = "Firecrawl.Client";
}
