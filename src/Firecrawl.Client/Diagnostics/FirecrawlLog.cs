using Microsoft.Extensions.Logging;

namespace Firecrawl.Client;

/// <summary>
/// The SDK's log events, named for operations (the operation is the <c>Operation</c> property). Event ids are stable:
/// alerts and dashboards may key on them. No event carries the API key;
/// paths and job ids are not secrets.
/// </summary>
internal static partial class FirecrawlLog
{
    [LoggerMessage(EventId = 1, EventName = "OperationStarting", Level = LogLevel.Debug,
        Message = "Sending {Method} {Path} for {Operation} (job {JobId})")]
    public static partial void OperationStarting(ILogger logger, string method, string path, string operation, string jobId);

    [LoggerMessage(EventId = 2, EventName = "RetryScheduled", Level = LogLevel.Warning,
        Message = "Attempt {Attempt} of {Path} failed with {Failure}; retrying in {DelayMs} ms (wait from {DelaySource})")]
    public static partial void RetryScheduled(ILogger logger, int attempt, string path, string failure, double delayMs, string delaySource);

    [LoggerMessage(EventId = 3, EventName = "OperationSucceeded", Level = LogLevel.Debug,
        Message = "{Operation} (job {JobId}) ended {Outcome} after {Attempts} attempt(s) in {ElapsedMs} ms")]
    public static partial void OperationSucceeded(ILogger logger, string operation, string jobId, string outcome, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 4, EventName = "OperationFailed", Level = LogLevel.Error,
        Message = "{Operation} (job {JobId}) failed after {Attempts} attempt(s): {ErrorType} (HTTP {StatusCode}) {ServerMessage} [Firecrawl exception id {ExceptionId}]")]
    public static partial void OperationFailed(
        ILogger logger, Exception exception, string operation, string jobId, int attempts, string errorType, int? statusCode, string? serverMessage, string? exceptionId);

    /// <summary>What the events say for the job of an operation that has none (the active-crawl list).</summary>
    public static string JobOf(string id) => id.Length == 0 ? "none" : id;

    [LoggerMessage(EventId = 6, EventName = "RateLimitGateFailed", Level = LogLevel.Warning,
        Message = "The rate-limit gate {Gate} failed in {Member} ({Reason}); this client paces those attempts with an in-process gate of its own until the gate answers again")]
    public static partial void RateLimitGateFailed(ILogger logger, string gate, string member, string reason);

    [LoggerMessage(EventId = 5, EventName = "RateLimitGateWait", Level = LogLevel.Information,
        Message = "Waiting {DelayMs} ms at the rate-limit gate, for the wait a 429 named or for the learned pace's next window")]
    public static partial void RateLimitGateWait(ILogger logger, double delayMs);

    [LoggerMessage(EventId = 7, EventName = "JobSettling", Level = LogLevel.Information,
        Message = "The {Kind} {JobId} reads {Status} ({Completed} pages, {CreditsUsed} credits) after {ElapsedMs} ms; reading again in {DelayMs} ms, {LeftMs} ms before the settle timeout")]
    public static partial void JobSettling(ILogger logger, string kind, string jobId, string status, int? completed, int? creditsUsed, double elapsedMs, double delayMs, double leftMs);

    [LoggerMessage(EventId = 8, EventName = "JobSettled", Level = LogLevel.Information,
        Message = "The {Kind} {JobId} {Ending} after {ElapsedMs} ms and {Reads} status read(s): {Status}, {Completed} pages, {CreditsUsed} credits")]
    public static partial void JobSettled(ILogger logger, string kind, string jobId, string ending, double elapsedMs, int reads, string? status, int? completed, int? creditsUsed);
}
