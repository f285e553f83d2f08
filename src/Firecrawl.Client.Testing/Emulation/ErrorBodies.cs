namespace Firecrawl.Client.Testing;

/// <summary>The server's two error shapes (with and without <c>success</c>) and the words gateways put in theirs.</summary>
internal static class ErrorBodies
{
    public static string Of(string text, bool? success = null) =>
        success is null ? $"{{\"error\":{Express.Quote(text)}}}" : $"{{\"success\":false,\"error\":{Express.Quote(text)}}}";

    /// <summary>The error handler's last branch: any error that is not a validation or a JSON syntax error.</summary>
    public static string UnknownError(string exceptionId) =>
        $"{{\"success\":false,\"code\":\"UNKNOWN_ERROR\",\"error\":\"An unexpected error occurred. Please contact help@firecrawl.com for help. Your exception ID is {exceptionId}\"}}";

    public static string ReasonOf(int status) => status switch
    {
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => $"Status {status}",
    };
}
