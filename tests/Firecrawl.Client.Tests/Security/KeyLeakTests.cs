using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// A server (or a proxy) that echoes the request back, key and header values included. No surface the client builds
/// from that text may carry a secret: exceptions, the error record, results, logs, traces; on the plain and DI paths.
/// </summary>
[Collection(nameof(KeyLeakTests))]
public sealed class KeyLeakTests
{
    private const string TenantSecret = "tenant-secret-0123456789";

    public static TheoryData<string, int, string> Echoes()
    {
        var rows = new TheoryData<string, int, string>();
        foreach (string path in new[] { "plain", "di" })
        {
            rows.Add(path, 401, "json-error");
            rows.Add(path, 502, "html-page");
            rows.Add(path, 500, "json-details");
            rows.Add(path, 429, "json-error");
            rows.Add(path, 200, "json-message");

            // Every header the client quotes (ServerText.QuotedHeaders), a reason phrase, and transport errors that
            // quote what arrived: one retried, one not.
            rows.Add(path, 307, "location");
            rows.Add(path, 307, "location-percent-encoded");
            rows.Add(path, 502, "content-type");
            rows.Add(path, 500, "reason-phrase");
            rows.Add(path, 0, "invalid-status-line");
            rows.Add(path, 0, "reset-quoting-the-request");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task CancelBatchScrapeAsync_ServerEchoesTheRequest_NoSurfaceCarriesASecret(string path, int status, string shape)
    {
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var surfaces = new List<string>();
        using ActivityListener listener = Listen(surfaces);
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(request => Echo(request, status, shape));

        void Configure(FirecrawlClientOptions o)
        {
            o.ApiKey = Stub.SecretKey;
            o.BaseAddress = new Uri(Stub.Base);
            o.RetryBaseDelay = TimeSpan.Zero;
            o.MaxRetries = 1;
            o.MaxRetryAfter = TimeSpan.FromSeconds(1);
            o.LoggerFactory = factory;
            o.DefaultHeaders["X-Tenant"] = TenantSecret;
        }

        using var plain = new FirecrawlClient(Stub.Options(Configure), mock);
        var services = new ServiceCollection();
        services.AddFirecrawlClient(Configure).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using ServiceProvider provider = services.BuildServiceProvider();
        FirecrawlClient client = path == "plain" ? plain : provider.GetRequiredService<FirecrawlClient>();

        try
        {
            CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId);
            surfaces.Add(result.ToString());
            surfaces.Add(result.Message ?? string.Empty);
        }
        catch (FirecrawlException error)
        {
            surfaces.Add(error.ToString());
            if (error is FirecrawlApiException api)
            {
                surfaces.Add(api.Error.ToString());
                surfaces.Add(api.Error.Message);
                surfaces.Add(api.Error.RawBody ?? string.Empty);
                surfaces.Add(api.Error.Code ?? string.Empty);
                surfaces.Add(api.Error.Details?.GetRawText() ?? string.Empty);
            }
        }

        foreach (FakeLogRecord record in logs.GetSnapshot())
        {
            surfaces.Add(record.Message);
            surfaces.Add(record.Exception?.ToString() ?? string.Empty);
            surfaces.AddRange(record.StructuredState?.Select(pair => pair.Value ?? string.Empty) ?? []);
        }

        Assert.True(mock.GetMatchCount(route) >= 1, "The echoing server was never called.");
        string all = string.Join("\n", surfaces);
        if (shape != "reason-phrase")
        {
            // Quoted and masked. The client never quotes a reason phrase, so there it has nothing to mask.
            Assert.Contains("[REDACTED]", all, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Stub.SecretKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(TenantSecret, all, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedHeaders_AreTheOnesThisTestEchoesTheKeyIn()
    {
        // A header the client starts quoting needs its row in Echoes above.
        Assert.Equal(["Location", "Content-Type"], ServerText.QuotedHeaders);
    }

    private static HttpResponseMessage Echo(HttpRequestMessage request, int status, string shape)
    {
        string headers = string.Join("; ", request.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        string escaped = System.Text.Json.JsonEncodedText.Encode(headers).ToString();
        string key = request.Headers.Authorization!.Parameter!;
        switch (shape)
        {
            case "location":
                return new HttpResponseMessage((HttpStatusCode)status) { Headers = { Location = new Uri($"https://elsewhere.example/steal?key={key}&h={Uri.EscapeDataString(TenantSecret)}") } };
            case "location-percent-encoded":
                string encoded = string.Concat(key.Select(c => $"%{(int)c:X2}"));
                return new HttpResponseMessage((HttpStatusCode)status) { Headers = { Location = new Uri($"https://elsewhere.example/{encoded}") } };
            case "content-type":
                var page = new StringContent("<html>bad gateway</html>", Encoding.UTF8);
                page.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/" + key);
                return new HttpResponseMessage((HttpStatusCode)status) { Content = page };
            case "reason-phrase":
                return new HttpResponseMessage((HttpStatusCode)status) { ReasonPhrase = "Bearer " + key, Content = new StringContent("{}") };
            case "invalid-status-line":
                throw new HttpRequestException(HttpRequestError.InvalidResponse, $"Received an invalid status line: 'HTTP/1.1 200 {headers}'.");
            case "reset-quoting-the-request":
                throw new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request.", new IOException($"Reset after '{headers}'."));
        }

        (string body, string type) = shape switch
        {
            "html-page" => ($"<html><body><h1>502 Bad Gateway</h1><pre>{headers}</pre></body></html>", "text/html"),
            "json-details" => ($$$"""{"success":false,"code":"{{{Stub.SecretKey}}}","error":"Internal error","details":{"request":"{{{escaped}}}"}}""", "application/json"),
            "json-message" => ($$"""{"success":true,"message":"Cancelled for {{escaped}}"}""", "application/json"),
            _ => ($$"""{"success":false,"error":"Unauthorized: Invalid token ({{escaped}}) retry after 5s"}""", "application/json"),
        };
        return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, type) };
    }

    private static ActivityListener Listen(List<string> surfaces)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FirecrawlDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (surfaces)
                {
                    surfaces.Add(activity.StatusDescription ?? string.Empty);
                    surfaces.AddRange(activity.TagObjects.Select(tag => tag.Value?.ToString() ?? string.Empty));
                    surfaces.AddRange(activity.Events.SelectMany(e => e.Tags.Select(tag => tag.Value?.ToString() ?? string.Empty)));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
