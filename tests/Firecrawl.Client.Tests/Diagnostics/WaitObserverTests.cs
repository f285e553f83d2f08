using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// The typed seam for waits (<see cref="FirecrawlClientOptions.WaitObserver"/>): every wait is told as it begins, with
/// what it is for and how long, so a display never reads log events.
/// </summary>
public sealed class WaitObserverTests
{
    private const string Cancelled = """{"status":"cancelled"}""";

    /// <summary>Keeps what it is told, synchronously (a <see cref="Progress{T}"/> would post to the pool).</summary>
    private sealed class Waits : IProgress<FirecrawlWait>
    {
        public List<FirecrawlWait> Told { get; } = [];

        public void Report(FirecrawlWait value)
        {
            lock (Told)
            {
                Told.Add(value);
            }
        }
    }

    public static TheoryData<string, FirecrawlWaitReason, double, string> RetryWaits() => new()
    {
        { "backoff", FirecrawlWaitReason.Backoff, 0.5, "HTTP 503" },
        { "header", FirecrawlWaitReason.RetryAfter, 7, "HTTP 503" },
        { "text", FirecrawlWaitReason.RateLimit, 60.5, "HTTP 429" },
    };

    [Theory]
    [MemberData(nameof(RetryWaits))]
    public async Task ARetrysWait_IsToldWithItsReason_Delay_RetryAndFailure(string source, FirecrawlWaitReason reason, double seconds, string failure)
    {
        var time = new FakeTimeProvider();
        var waits = new Waits();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(_ => source switch
        {
            "backoff" => Stub.Json(HttpStatusCode.ServiceUnavailable, "{}"),
            "header" => WithRetryAfter(Stub.Json(HttpStatusCode.ServiceUnavailable, "{}"), TimeSpan.FromSeconds(7)),
            _ => Stub.Json(HttpStatusCode.TooManyRequests, """{"success":false,"error":"Rate limit exceeded. Please retry after 60s"}"""),
        });
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, "application/json", Cancelled);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.WaitObserver = waits;
        });

        await client.CancelCrawlAsync(Stub.JobId).WithFakeTime(time);

        FirecrawlWait told = Assert.Single(waits.Told);
        Assert.Equal(reason, told.Reason);
        Assert.Equal(TimeSpan.FromSeconds(seconds), told.Delay);
        Assert.Equal((1, failure), (told.Retry, told.Failure));
        Assert.Equal(("CancelCrawl", Stub.JobId), (told.Operation, told.JobId));
        Assert.Null(told.Kind);
    }

    [Fact]
    public async Task RetriesOfACallWithoutAJob_AreToldInOrder_WithNoJob_AndATransportFailureByItsType()
    {
        var time = new FakeTimeProvider();
        var waits = new Waits();
        using var mock = Stub.Mock();
        string url = Stub.Base + "/v1/crawl/active";
        mock.Expect(HttpMethod.Get, url).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "connection refused by " + Stub.SecretKey));
        mock.Expect(HttpMethod.Get, url).Respond(HttpStatusCode.BadGateway, "application/json", "{}");
        mock.Expect(HttpMethod.Get, url).Respond(HttpStatusCode.OK, "application/json", """{"success":true,"crawls":[]}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.WaitObserver = waits;
        });

        await client.GetActiveCrawlsAsync().WithFakeTime(time);

        Assert.Equal([1, 2], waits.Told.Select(w => w.Retry));
        Assert.All(waits.Told, w => Assert.Equal(("GetActiveCrawls", (string?)null, FirecrawlWaitReason.Backoff), (w.Operation, w.JobId, w.Reason)));
        Assert.Equal("HttpRequestException: connection refused by [REDACTED]", waits.Told[0].Failure);
        Assert.Equal("HTTP 502", waits.Told[1].Failure);
    }

    [Fact]
    public async Task AWaitAtTheGate_IsToldAsTheRateLimit_WithoutARetry()
    {
        var time = new FakeTimeProvider();
        var waits = new Waits();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, "application/json", Cancelled);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.RateLimitGate = new ClosedOnce(TimeSpan.FromSeconds(3));
            o.WaitObserver = waits;
        });

        await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time);

        FirecrawlWait told = Assert.Single(waits.Told);
        Assert.Equal((FirecrawlWaitReason.RateLimit, TimeSpan.FromSeconds(3)), (told.Reason, told.Delay));
        Assert.Equal(("CancelBatchScrape", Stub.JobId, (int?)null), (told.Operation, told.JobId, told.Retry));
    }

    [Fact]
    public async Task ASettleWait_IsToldWithTheKind_TheLastRead_AndTheTimeLeft()
    {
        var time = new WatchedFakeTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var waits = new Waits();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, "application/json", """{"status":"cancelled","completed":3,"total":3,"creditsUsed":3}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleInterval = TimeSpan.FromSeconds(1);
            o.SettleTimeout = TimeSpan.FromMinutes(2);
            o.WaitObserver = waits;
        });

        Task<JobSettlement> settling = client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(0.5));
        time.Advance(TimeSpan.FromSeconds(0.5));
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True((await settling.WaitAsync(TimeSpan.FromSeconds(20))).Settled);

        FirecrawlWait first = waits.Told[0];
        Assert.Equal((FirecrawlWaitReason.Settling, TimeSpan.FromSeconds(0.5)), (first.Reason, first.Delay));
        Assert.Equal((FirecrawlJobKind.Crawl, Stub.JobId, "GetCrawlStatus"), (first.Kind, first.JobId, first.Operation));
        Assert.Equal(("cancelled", 3, 3), (first.LastStatus!.Status, first.LastStatus.Completed, first.LastStatus.CreditsUsed));
        Assert.Equal(TimeSpan.FromMinutes(2), first.Left);
    }

    [Fact]
    public async Task AnObserverThatThrows_NeverFailsTheCall()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "application/json", "{}");
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, "application/json", Cancelled);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.WaitObserver = new Throws();
        });

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
    }

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, TimeSpan wait)
    {
        response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        return response;
    }

    private sealed class Throws : IProgress<FirecrawlWait>
    {
        public void Report(FirecrawlWait value) => throw new InvalidOperationException("a display that broke");
    }

    /// <summary>A gate that holds the first attempt back once, then lets everything through.</summary>
    private sealed class ClosedOnce(TimeSpan wait) : FirecrawlRateLimitGate
    {
        private int _asked;

        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken) =>
            new(Interlocked.Increment(ref _asked) == 1 ? FirecrawlGateEntry.WaitFor(wait) : FirecrawlGateEntry.Go);

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken) => default;

        public override TimeSpan PeekWait(FirecrawlGatePartition partition) => TimeSpan.Zero;
    }
}
