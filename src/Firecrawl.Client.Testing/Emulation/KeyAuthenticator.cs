using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>The server's auth middleware: the no-auth mode without keys, and 401s that say what was wrong with one.</summary>
internal sealed class KeyAuthenticator(FirecrawlEmulatorOptions options)
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>A key the server could ever accept: <c>fc-</c> and 32 hex digits, a UUID without its dashes.</summary>
    public static bool IsWellFormedKey(string key) =>
        key.Length == 35 && key.StartsWith("fc-", StringComparison.Ordinal) && key.AsSpan(3).IndexOfAnyExcept(HexDigits) < 0;

    /// <summary>The team a request belongs to, or <see langword="null"/> when its key is refused.</summary>
    public string? Authenticate(HttpRequest request)
    {
        if (options.ApiKeys.Count == 0)
        {
            // The no-auth mode: every request is the same team, whatever it carries.
            return JobIds.KeylessTeam;
        }

        return BearerToken(request.Headers.Authorization) is { } token && IsWellFormedKey(token) && options.ApiKeys.Contains(token) ? token : null;
    }

    /// <summary>Whether a request's key is one the emulator accepts; <see langword="null"/> when it sent none.</summary>
    public bool? Accepts(string? authorization) =>
        authorization is null ? null : BearerToken(authorization) is { } token && (options.ApiKeys.Count == 0 || options.ApiKeys.Contains(token));

    public static EmulatorAnswer Unauthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        string text = header is null ? "Unauthorized"
            : header.Trim() == "Bearer" ? "Unauthorized: Token missing"
            : "Unauthorized: Invalid token";
        return new EmulatorAnswer(401, ErrorBodies.Of(text, success: false));
    }

    private static string? BearerToken(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
}
