using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Firecrawl.Client.Testing;

/// <summary>What the emulator saw: every request (when recording) and how many answers had each status.</summary>
internal sealed class RequestLog(TimeProvider clock)
{
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<int, int> _statusCounts = new();

    /// <summary>Records the request on arrival; the caller tells the record its status once the answer starts.</summary>
    public RecordedRequest Record(HttpContext context)
    {
        HttpRequest request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
            values[header.Key] = [.. header.Value.Select(static v => v ?? string.Empty)];
        }

        var recorded = new RecordedRequest
        {
            Method = request.Method,
            RawTarget = RawTarget(context),
            Headers = headers,
            HeaderValues = values,
            ReceivedAt = clock.GetUtcNow(),
            ConnectionId = context.Connection.Id,
        };
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        return recorded;
    }

    public RecordedRequest[] Requests()
    {
        lock (_requests)
        {
            return [.. _requests];
        }
    }

    public void ClearRequests()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    public void CountAnswer(int status) => _statusCounts.AddOrUpdate(status, 1, static (_, count) => count + 1);

    public int CountOf(int status) => _statusCounts.TryGetValue(status, out int count) ? count : 0;

    public void Clear()
    {
        ClearRequests();
        _statusCounts.Clear();
    }

    /// <summary>The request target exactly as sent, still escaped.</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
}
