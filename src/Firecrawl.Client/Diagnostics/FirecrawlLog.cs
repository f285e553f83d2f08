using Microsoft.Extensions.Logging;

namespace Firecrawl.Client;

/// <summary>
/// The SDK's log events. Event ids are stable: alerts and dashboards may key on them. No event carries the API key;
/// paths and job ids are not secrets.
/// </summary>
internal static partial class FirecrawlLog
{
    [LoggerMessage(EventId = 1, EventName = "CancelStarting", Level = LogLevel.Debug,
        Message = "Sending {Method} {Path} to cancel {Kind} {JobId}")]
    public static partial void CancelStarting(ILogger logger, string method, string path, string kind, string jobId);

    [LoggerMessage(EventId = 2, EventName = "RetryScheduled", Level = LogLevel.Warning,
        Message = "Attempt {Attempt} of {Path} failed with {Failure}; retrying in {DelayMs} ms (wait from {DelaySource})")]
    public static partial void RetryScheduled(ILogger logger, int attempt, string path, string failure, double delayMs, string delaySource);

    [LoggerMessage(EventId = 3, EventName = "CancelSucceeded", Level = LogLevel.Debug,
        Message = "Cancel of {Kind} {JobId} ended {Outcome} after {Attempts} attempt(s) in {ElapsedMs} ms")]
    public static partial void CancelSucceeded(ILogger logger, string kind, string jobId, string outcome, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 4, EventName = "CancelFailed", Level = LogLevel.Error,
        Message = "Cancel of {Kind} {JobId} failed after {Attempts} attempt(s): {ErrorType} (HTTP {StatusCode}) {ServerMessage} [Firecrawl exception id {ExceptionId}]")]
    public static partial void CancelFailed(
        ILogger logger, Exception exception, string kind, string jobId, int attempts, string errorType, int? statusCode, string? serverMessage, string? exceptionId);

    [LoggerMessage(EventId = 5, EventName = "RateLimitGateWait", Level = LogLevel.Information,
        Message = "Waiting {DelayMs} ms at the rate-limit gate, for the wait a 429 named or for the learned pace's next window")]
    public static partial void RateLimitGateWait(ILogger logger, double delayMs);
}
