using System.Net;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Builds MockHttp answers that note when each request arrived on the (fake) clock, so tests can assert how long
/// the client waited between attempts.
/// </summary>
internal sealed class Arrivals
{
    private readonly TimeProvider _time;

    public Arrivals(TimeProvider time) => _time = time;

    public List<DateTimeOffset> Times { get; } = [];

    public Func<HttpRequestMessage, HttpResponseMessage> Answer(HttpStatusCode status, string json, Action<HttpResponseMessage>? customize = null) =>
        _ =>
        {
            lock (Times)
            {
                Times.Add(_time.GetUtcNow());
            }

            HttpResponseMessage response = Stub.Json(status, json);
            customize?.Invoke(response);
            return response;
        };

    public List<TimeSpan> Gaps() => Times.Zip(Times.Skip(1), static (a, b) => b - a).ToList();
}
