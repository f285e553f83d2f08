using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// How the real server's framework (Express on Node) puts an answer on the wire: its headers, its weak ETag, its JSON
/// escaping, its 404 page and its CORS preflight. Kept apart from what the answers say.
/// </summary>
internal static class Express
{
    public const string JsonType = "application/json; charset=utf-8";
    public const string HtmlType = "text/html; charset=utf-8";

    /// <summary>The headers of a JSON answer, as <c>res.status(n).json(body)</c> sends them; returns the body to write.</summary>
    public static byte[] Json(HttpResponse response, int status, string json, bool cors = true)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.Headers["X-Powered-By"] = "Express";
        if (cors)
        {
            response.Headers.AccessControlAllowOrigin = "*";
        }

        response.ContentType = JsonType;
        response.ContentLength = bytes.Length;
        response.Headers.ETag = ETag(bytes);
        KeepAlive(response);
        return bytes;
    }

    /// <summary>The 404 of a route Express does not have (finalhandler's page, with its two security headers).</summary>
    public static byte[] NotFound(HttpResponse response, string method, string target)
    {
        string html = $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {EscapeHtml(method)} {EscapeHtml(target)}</pre>\n</body>\n</html>\n";
        byte[] bytes = Encoding.UTF8.GetBytes(html);
        response.StatusCode = 404;
        response.Headers["X-Powered-By"] = "Express";
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.ContentSecurityPolicy = "default-src 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentType = HtmlType;
        response.ContentLength = bytes.Length;
        KeepAlive(response);
        return bytes;
    }

    /// <summary>The cors middleware's answer to a preflight: 204, the allowed methods, and any requested headers echoed.</summary>
    public static void WritePreflight(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.StatusCode = 204;
        response.Headers["X-Powered-By"] = "Express";
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";
        response.Headers.Vary = "Access-Control-Request-Headers";
        if (context.Request.Headers.AccessControlRequestHeaders is { Count: > 0 } requested)
        {
            response.Headers.AccessControlAllowHeaders = requested.ToString();
        }

        response.ContentLength = 0;
        KeepAlive(response);
    }

    /// <summary>Express's weak ETag: <c>W/"&lt;length in hex&gt;-&lt;first 27 characters of the base64 SHA-1&gt;"</c>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Express's ETag format is defined on SHA-1; it is a cache validator, not a security boundary.")]
    public static string ETag(ReadOnlySpan<byte> body)
    {
        string hash = Convert.ToBase64String(SHA1.HashData(body))[..27];
        return string.Create(CultureInfo.InvariantCulture, $"W/\"{body.Length:x}-{hash}\"");
    }

    /// <summary>A string as JavaScript's <c>JSON.stringify</c> writes it: quotes, backslashes and control characters only.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                '\b' => json.Append("\\b"),
                '\f' => json.Append("\\f"),
                '\n' => json.Append("\\n"),
                '\r' => json.Append("\\r"),
                '\t' => json.Append("\\t"),
                < ' ' => json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }

    /// <summary>JavaScript's <c>Date.prototype.toString()</c> in UTC: <c>Sun Nov 29 2026 03:42:54 GMT+0000 (Coordinated Universal Time)</c>.</summary>
    public static string DateString(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " GMT+0000 (Coordinated Universal Time)";

    /// <summary>JavaScript's <c>Date.prototype.toISOString()</c>: milliseconds and a Z.</summary>
    public static string IsoString(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Node's HTTP server announces keep-alive and its 5-second idle limit on every answer, unless the request asked to
    /// close (<c>Connection: close</c>, or HTTP/1.0 without <c>Connection: keep-alive</c>): then it says
    /// <c>Connection: close</c>, sends no <c>Keep-Alive</c>, and closes the connection after the answer, as Kestrel does
    /// with that header set.
    /// </summary>
    private static void KeepAlive(HttpResponse response)
    {
        if (WantsClose(response.HttpContext.Request))
        {
            response.Headers.Connection = "close";
            return;
        }

        response.Headers.Connection = "keep-alive";
        response.Headers.KeepAlive = "timeout=5";
    }

    private static bool WantsClose(HttpRequest request)
    {
        bool close = false;
        bool keepAlive = false;
        foreach (string? value in request.Headers.Connection)
        {
            foreach (string token in (value ?? string.Empty).Split(','))
            {
                close |= token.Trim().Equals("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= token.Trim().Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
            }
        }

        return close || (HttpProtocol.IsHttp10(request.Protocol) && !keepAlive);
    }

    private static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal);
}
