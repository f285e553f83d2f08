using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// The floor: the least a correct cancel can do by hand. One shared HttpClient with the bearer token set once, a
/// DELETE, a status check and a source-generated parse. No retries, no typed errors, no telemetry. Shared (as a
/// linked file) by the benchmarks and by the allocation-budget unit test, so both compare against the same code.
/// </summary>
public sealed class FloorClient : IDisposable
{
    private readonly HttpClient _http;

    public FloorClient(Uri baseAddress, string apiKey, HttpMessageHandler transport, bool disposeTransport = false)
    {
        _http = new HttpClient(transport, disposeTransport) { BaseAddress = baseAddress };
        if (apiKey.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public async Task<bool> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "v1/batch/scrape/" + Uri.EscapeDataString(id));
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"Cancel failed with {(int)response.StatusCode}.", null, response.StatusCode);
        }

        FloorBody? body = await response.Content.ReadFromJsonAsync(FloorJsonContext.Default.FloorBody, cancellationToken).ConfigureAwait(false);
        return body?.Status == "cancelled" || body?.Success == true;
    }

    public void Dispose() => _http.Dispose();
}

public sealed class FloorBody
{
    [JsonPropertyName("success")]
    public bool? Success { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

[JsonSerializable(typeof(FloorBody))]
internal sealed partial class FloorJsonContext : JsonSerializerContext;

/// <summary>
/// An in-memory server: every request gets a fresh response built from shared bytes, completed synchronously, so a
/// benchmark measures the client and nothing else.
/// </summary>
public sealed class CannedHandler : HttpMessageHandler
{
    private static readonly byte[] Cancelled = "{\"status\":\"cancelled\"}"u8.ToArray();
    private static readonly byte[] NotFound = "{\"error\":\"Job not found\"}"u8.ToArray();
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private int _failuresLeft;

    /// <summary>Answer 404 <c>{"error":"Job not found"}</c> instead of success.</summary>
    public bool AnswerNotFound { get; init; }

    /// <summary>Answer this many 503s before each success (reset with <see cref="FailNext"/>).</summary>
    public void FailNext(int count) => _failuresLeft = count;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(request));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Answer(request);

    private HttpResponseMessage Answer(HttpRequestMessage request)
    {
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, Content = Body(NotFound) };
        }

        return AnswerNotFound
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request, Content = Body(NotFound) }
            : new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = Body(Cancelled) };
    }

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = Json;
        return content;
    }
}

/// <summary>
/// The stricter floor the performance issue measured against: a new request per call carrying its own
/// <c>Authorization</c> header, response headers read first, and the body parsed from the stream with the
/// source-generated context.
/// </summary>
public sealed class StreamingFloorClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    public StreamingFloorClient(Uri baseAddress, string apiKey, HttpMessageHandler transport)
    {
        _http = new HttpClient(transport, disposeHandler: false) { BaseAddress = baseAddress };
        _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public async Task<bool> CancelBatchScrapeAsync(string id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "v1/batch/scrape/" + Uri.EscapeDataString(id));
        request.Headers.Authorization = _authorization;
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"Cancel failed with {(int)response.StatusCode}.", null, response.StatusCode);
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        FloorBody? body = await System.Text.Json.JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorBody, cancellationToken).ConfigureAwait(false);
        return body?.Status == "cancelled" || body?.Success == true;
    }

    public void Dispose() => _http.Dispose();
}
