using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>Puts a scripted fault on the wire: what a gateway, a proxy or a dying server sends instead of the answer.</summary>
internal static class FaultWriter
{
    /// <summary>Writes the fault, or returns <see langword="false"/> when it only shapes the real answer (a delay, a stall, a cut).</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, EmulatorFault fault, TimeProvider clock)
    {
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        switch (fault.Kind)
        {
            case FaultKind.DelayBeforeHeaders:
                await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
                return false;
            case FaultKind.StallMidBody or FaultKind.TruncatedBody:
                return false;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.Status:
                await WriteRawAsync(context, fault.StatusCode, fault.Body ?? ErrorBodies.Of(ErrorBodies.ReasonOf(fault.StatusCode)), Express.JsonType).ConfigureAwait(false);
                return true;
            case FaultKind.HtmlError:
                string reason = ErrorBodies.ReasonOf(fault.StatusCode);
                string html = $"<html>\r\n<head><title>{fault.StatusCode} {reason}</title></head>\r\n<body>\r\n<center><h1>{fault.StatusCode} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
                await WriteRawAsync(context, fault.StatusCode, html, "text/html").ConfigureAwait(false);
                return true;
            case FaultKind.Redirect:
                response.StatusCode = fault.StatusCode;
                response.Headers.Location = fault.Location!.AbsoluteUri;
                response.ContentLength = 0;
                return true;
            case FaultKind.RetryAfter:
                response.Headers.RetryAfter = fault.RetryAfterDelta is { } delta
                    ? ((long)Math.Ceiling(delta.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
                    : fault.RetryAfterDate!.Value.ToString("R", CultureInfo.InvariantCulture);
                await WriteRawAsync(context, fault.StatusCode, ErrorBodies.Of(ErrorBodies.ReasonOf(fault.StatusCode), success: false), Express.JsonType).ConfigureAwait(false);
                return true;
            case FaultKind.RateLimited:
                EmulatorAnswer limited = RateLimiter.RateLimitedAnswer(fault.Consumed, fault.Delay, clock.GetUtcNow());
                await WriteBodyAsync(context, Express.Json(response, limited.Status, limited.Body), shaping: null).ConfigureAwait(false);
                return true;
            case FaultKind.OversizedBody:
                await WriteOversizedAsync(context, fault).ConfigureAwait(false);
                return true;
            default:
                throw new InvalidOperationException($"Unknown fault {fault.Kind}.");
        }
    }

    /// <summary>Writes a body whose headers are set, stalled or cut half way when a fault shapes it.</summary>
    public static async Task WriteBodyAsync(HttpContext context, byte[] bytes, EmulatorFault? shaping)
    {
        HttpResponse response = context.Response;
        CancellationToken aborted = context.RequestAborted;
        if (shaping?.Kind is FaultKind.StallMidBody or FaultKind.TruncatedBody && bytes.Length > 1)
        {
            int half = bytes.Length / 2;
            await response.Body.WriteAsync(bytes.AsMemory(0, half), aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            if (shaping.Kind == FaultKind.TruncatedBody)
            {
                context.Abort();
                return;
            }

            await Task.Delay(shaping.Delay, aborted).ConfigureAwait(false);
            await response.Body.WriteAsync(bytes.AsMemory(half), aborted).ConfigureAwait(false);
            return;
        }

        await response.Body.WriteAsync(bytes, aborted).ConfigureAwait(false);
    }

    /// <summary>A scripted answer, written as given: gateways and proxies are not Express.</summary>
    private static Task WriteRawAsync(HttpContext context, int status, string body, string contentType)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        return WriteBodyAsync(context, bytes, shaping: null);
    }

    private static async Task WriteOversizedAsync(HttpContext context, EmulatorFault fault)
    {
        HttpResponse response = context.Response;
        response.StatusCode = fault.StatusCode;
        response.ContentType = Express.JsonType;
        response.ContentLength = fault.Size;
        byte[] chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'x');
        byte[] head = Encoding.UTF8.GetBytes("{\"error\":\"");
        long left = fault.Size;
        int first = (int)Math.Min(head.Length, left);
        await response.Body.WriteAsync(head.AsMemory(0, first), context.RequestAborted).ConfigureAwait(false);
        left -= first;
        while (left > 0 && !context.RequestAborted.IsCancellationRequested)
        {
            int size = (int)Math.Min(chunk.Length, left);
            await response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted).ConfigureAwait(false);
            left -= size;
        }
    }
}
