using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// No call waits past what it may wait. The gate keeps the whole wait the server named (padded), and any call whose
/// remaining wait at the gate, or whose next retry, is longer than <c>MaxRetryAfter</c> or its time left fails at once,
/// without a request, with <c>RetryAfter</c> set to that wait. On the plain and DI paths.
/// </summary>
public sealed class LongWaitTests
{
    private const string Cancelled = """{"status":"cancelled"}""";
    private const string Other = Stub.Base + "/v1/batch/scrape/other";

    /// <summary>A call that waits on a clock no one moves never ends: a wrong wait fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Paths => ["plain", "di"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task NextCall_AfterAHintLongerThanMaxRetryAfter_FailsAtOnceWithTheRemainingWaitAndSendsNothing(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        MockedRequest limited = mock.When(HttpMethod.Delete, Other).Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 90s"}""");
        MockedRequest job = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        await using Clients clients = Clients.Build(mock, path, time);

        var heard = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));
        time.Advance(TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(Guard));

        Assert.Equal(TimeSpan.FromSeconds(90.5), heard.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(80.5), refused.RetryAfter);
        Assert.Contains("no request was sent", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(limited));
        Assert.Equal(0, mock.GetMatchCount(job));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task NextCall_AfterTheLongWaitHasShrunkBelowTheCap_WaitsTheServersWholeWindowNotTheCap(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Other).Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 90s"}""");
        TimeSpan? sentAt = null;
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            sentAt = time.Elapsed;
            return Stub.Json(HttpStatusCode.OK, Cancelled);
        });
        await using Clients clients = Clients.Build(mock, path, time);

        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));
        time.Advance(TimeSpan.FromSeconds(40));
        Task<CancelBatchScrapeResult> call = clients.Client.CancelBatchScrapeAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(90.5));
        time.Advance(TimeSpan.FromSeconds(50.5));
        CancelBatchScrapeResult result = await call.WaitAsync(TimeSpan.FromSeconds(20));

        // A gate that kept only MaxRetryAfter (60.5 s) would have let it go at 60.5 s, into a closed window.
        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(90.5), sentAt);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CallInBackOff_GateClosesForLongerThanItMayWait_FailsWhenItMeetsTheGateWithoutARequest(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Other).Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 90s"}""");
        MockedRequest job = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        await using Clients clients = Clients.Build(mock, path, time, o => o.RetryBaseDelay = TimeSpan.FromSeconds(10));

        Task<CancelBatchScrapeResult> inBackOff = clients.Client.CancelBatchScrapeAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));
        time.Advance(TimeSpan.FromSeconds(5));
        var refused = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => inBackOff.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeSpan.FromSeconds(85.5), refused.RetryAfter);
        Assert.Equal(1, mock.GetMatchCount(job));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task RetryDecision_GateClosedForTooLongMeanwhile_FailsAtOnceWithoutWaitingTheBackOff(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        mock.When(HttpMethod.Delete, Other).Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 90s"}""");
        MockedRequest job = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(async (HttpRequestMessage _) =>
        {
            reached.TrySetResult();
            await release.Task;
            return Stub.Json(HttpStatusCode.ServiceUnavailable, "{}");
        });
        await using Clients clients = Clients.Build(mock, path, time, o => o.RetryBaseDelay = TimeSpan.FromSeconds(10));

        Task<CancelBatchScrapeResult> inFlight = clients.Client.CancelBatchScrapeAsync(Stub.JobId);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));
        release.SetResult();

        // No clock is moved: a call that waited its 5 s back-off first would never finish here.
        var refused = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.FromSeconds(90.5), refused.RetryAfter);
        Assert.Equal(1, mock.GetMatchCount(job));
    }

    [Theory]
    [InlineData("please retry after 999999999s", 3600.5)]
    [InlineData("please retry after 7200s", 3600.5)]
    [InlineData("please retry after 3600s", 3600.5)]
    [InlineData("please retry after 3599s", 3599.5)]
    public async Task AHintOverAnHour_IsTakenAsAnHour(string text, double expectedSeconds)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Other).Respond(HttpStatusCode.TooManyRequests, $$"""{"error":"{{text}}"}""");
        await using Clients clients = Clients.Build(mock, "plain", time);

        var heard = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));
        var refused = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(Guard));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), heard.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), refused.RetryAfter);
    }

    [Fact]
    public async Task ARetryAfterHeaderOverAnHour_IsTakenAsAnHour()
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Other).Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(HttpStatusCode.TooManyRequests, "{}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromDays(3));
            return response;
        });
        await using Clients clients = Clients.Build(mock, "plain", time);

        var heard = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => clients.Client.CancelBatchScrapeAsync("other").WaitAsync(Guard));

        Assert.Equal(TimeSpan.FromHours(1), heard.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task BulkCancel_GateClosedForLongerThanACallMayWait_FailsEachJobWithItsRetryAfterAndSendsNoMore(string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        MockedRequest sent = mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/*")
            .Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 90s"}""");
        await using Clients clients = Clients.Build(mock, path, time);

        BulkCancelResult result = await clients.Client.CancelBatchScrapesAsync(["a", "b", "c", "d"], new BulkCancelOptions { MaxConcurrency = 1 })
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(4, result.Failed);
        Assert.All(result.Jobs, job => Assert.True(Assert.IsType<FirecrawlRateLimitException>(job.Error).RetryAfter > TimeSpan.FromSeconds(60)));
        Assert.Equal(1, mock.GetMatchCount(sent));
    }

    /// <summary>One client built on the path under test; the other path's client is built too and disposed with it.</summary>
    private sealed class Clients(FirecrawlClient plain, ServiceProvider provider, string path) : IAsyncDisposable
    {
        public FirecrawlClient Client { get; } = path == "plain" ? plain : provider.GetRequiredService<FirecrawlClient>();

        public static Clients Build(MockHttpMessageHandler mock, string path, WatchedFakeTime time, Action<FirecrawlClientOptions>? extra = null)
        {
            void Configure(FirecrawlClientOptions o)
            {
                o.ApiKey = Stub.SecretKey;
                o.BaseAddress = new Uri(Stub.Base);
                o.TimeProvider = time;
                o.RetryBaseDelay = TimeSpan.Zero;
                o.Jitter = static () => 0;
                extra?.Invoke(o);
            }

            var services = new ServiceCollection();
            services.AddFirecrawlClient(Configure).ConfigurePrimaryHttpMessageHandler(() => mock);
            return new Clients(new FirecrawlClient(Stub.Options(Configure), mock), services.BuildServiceProvider(), path);
        }

        public async ValueTask DisposeAsync()
        {
            plain.Dispose();
            await provider.DisposeAsync();
        }
    }
}
