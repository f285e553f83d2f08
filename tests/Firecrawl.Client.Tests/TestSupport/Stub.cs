using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Builds clients over MockHttp the way a user's own tests would: through the transport constructor.</summary>
internal static class Stub
{
    public const string Base = "https://firecrawl.test";
    public const string JobId = "019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f";
    public const string BatchUrl = Base + "/v1/batch/scrape/" + JobId;
    public const string CrawlUrl = Base + "/v1/crawl/" + JobId;
    public const string SecretKey = "fc-secret-key-that-must-never-leak-0123";

    public static MockHttpMessageHandler Mock()
    {
        var mock = new MockHttpMessageHandler();

        // An unplanned request is a test failure, not a silent 404 that could look like a real answer.
        mock.Fallback.Throw(new InvalidOperationException("The test did not expect this request."));
        return mock;
    }

    /// <summary>Options that retry instantly, so tests about counts need no clock.</summary>
    public static FirecrawlClientOptions Options(Action<FirecrawlClientOptions>? configure = null)
    {
        var options = new FirecrawlClientOptions
        {
            ApiKey = SecretKey,
            BaseAddress = new Uri(Base),
            RetryBaseDelay = TimeSpan.Zero,

            // Deterministic waits: the back-off and a text hint's padding take no random part.
            Jitter = static () => 0,
        };
        configure?.Invoke(options);
        return options;
    }

    public static FirecrawlClient Client(MockHttpMessageHandler mock, Action<FirecrawlClientOptions>? configure = null) =>
        new(Options(configure), mock);

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers every request with a cancel confirmation and reports the URL of the last one.</summary>
    public static Func<string?> CaptureUrl(MockHttpMessageHandler mock)
    {
        string? seen = null;
        mock.When("*").Respond(request =>
        {
            seen = request.RequestUri!.AbsoluteUri;
            return Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        return () => seen;
    }

    public static MockedRequest Respond(this MockedRequest request, HttpStatusCode status, string json) =>
        request.Respond(_ => Json(status, json));

    /// <summary>Advances a fake clock until the call finishes, so long waits take no real time.</summary>
    public static async Task<T> WithFakeTime<T>(this Task<T> call, FakeTimeProvider time, TimeSpan? step = null)
    {
        TimeSpan advance = step ?? TimeSpan.FromMilliseconds(250);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!call.IsCompleted)
        {
            guard.Token.ThrowIfCancellationRequested();
            await Task.Delay(1);
            time.Advance(advance);
        }

        return await call;
    }
}
