namespace Firecrawl.Client;

/// <summary>
/// The names to subscribe to for traces and metrics, for example
/// <c>tracing.AddSource(FirecrawlDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(FirecrawlDiagnostics.MeterName)</c> in OpenTelemetry.
/// </summary>
public static class FirecrawlDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: one activity per call of any operation.</summary>
    public const string ActivitySourceName = "Firecrawl.Client";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Firecrawl.Client";

    /// <summary>
    /// The histogram of whole-call durations of every operation, retries included, in seconds, tagged
    /// <c>firecrawl.operation</c> (such as <c>CancelCrawl</c> or <c>GetActiveCrawls</c>) and <c>firecrawl.outcome</c>.
    /// </summary>
    public const string OperationDurationInstrumentName = "firecrawl.client.operation.duration";

    /// <summary>The counter of call outcomes of every operation, tagged <c>firecrawl.operation</c> and <c>firecrawl.outcome</c>.</summary>
    public const string OperationOutcomesInstrumentName = "firecrawl.client.operation.outcomes";

    /// <summary>The earlier name of <see cref="OperationDurationInstrumentName"/>, still recorded, with the same tags, for this release.</summary>
    [Obsolete("Use OperationDurationInstrumentName (firecrawl.client.operation.duration): the instrument covers every operation, not only cancels. This name is recorded until the next minor release.")]
    public const string DurationInstrumentName = "firecrawl.client.cancel.duration";

    /// <summary>The earlier name of <see cref="OperationOutcomesInstrumentName"/>, still recorded, with the same tags, for this release.</summary>
    [Obsolete("Use OperationOutcomesInstrumentName (firecrawl.client.operation.outcomes): the instrument covers every operation, not only cancels. This name is recorded until the next minor release.")]
    public const string OutcomesInstrumentName = "firecrawl.client.cancel.outcomes";

    /// <summary>The category of the SDK's log events.</summary>
    public const string LoggerCategory = "Firecrawl.Client";
}
