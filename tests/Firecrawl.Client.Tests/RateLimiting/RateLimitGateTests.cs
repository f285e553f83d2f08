using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class RateLimitGateTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_AnotherCallHeard429WithHint_NextCallWaitsExactlyThePaddedHintBeforeSending()
    {
        var time = new WatchedFakeTime();
        var arrivals = new Arrivals(time);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(arrivals.Answer(HttpStatusCode.TooManyRequests, """{"success":false,"error":"Rate limit exceeded. please retry after 10s"}"""));
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(arrivals.Answer(HttpStatusCode.OK, """{"status":"cancelled"}"""));
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
        });

        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        Task<CancelCrawlResult> second = client.CancelCrawlAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(10.5));
        time.Advance(TimeSpan.FromSeconds(10.5) - TimeSpan.FromTicks(1));
        await Task.Delay(20); // room for a send that should not happen; it cannot make a correct client fail
        Assert.Single(arrivals.Times);
        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(CancelOutcome.Cancelled, (await second.WaitAsync(TimeSpan.FromSeconds(20))).Outcome);
        Assert.Equal(TimeSpan.FromSeconds(10.5), Assert.Single(arrivals.Gaps()));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_FiftyCallsStartedWhileTheGateIsClosed_NoneSendsUntilItOpens()
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        int sent = 0;
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 30s"}""");
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(_ =>
        {
            Interlocked.Increment(ref sent);
            return Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}""");
        });
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Task<CancelCrawlResult>[] calls = Enumerable.Range(0, 50).Select(_ => client.CancelCrawlAsync(Stub.JobId)).ToArray();
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(30.5));
        time.Advance(TimeSpan.FromSeconds(30.4));
        await Task.Delay(20); // room for a send that should not happen; it cannot make a correct client fail
        Assert.Equal(0, Volatile.Read(ref sent));
        time.Advance(TimeSpan.FromSeconds(0.1));
        CancelCrawlResult[] results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(results, r => Assert.Equal(CancelOutcome.Cancelled, r.Outcome));
        Assert.Equal(50, sent);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GateClosedLongerThanBudget_FailsAtOnceWithoutSending()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl)
            .Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 50s"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.TotalTimeout = TimeSpan.FromSeconds(30);
        });

        var first = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        time.Advance(TimeSpan.FromSeconds(10));
        var second = await Assert.ThrowsAsync<FirecrawlRateLimitException>(
            () => client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeSpan.FromSeconds(50.5), first.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(40.5), second.RetryAfter);
        Assert.Contains("Cancelling batch scrape", second.Message, StringComparison.Ordinal);
        Assert.Contains("holds every call back for 40.5 s", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_AbsurdHint_IsTakenAsAnHourAndHoldsEveryCallOffForThatHour()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl)
            .Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 999999999s"}""");
        MockedRequest ok = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetryAfter = TimeSpan.FromSeconds(60);
        });

        var error = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        time.Advance(TimeSpan.FromSeconds(60.75));
        var stillClosed = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelCrawlAsync(Stub.JobId));
        time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(60.75) + TimeSpan.FromSeconds(0.5));
        CancelCrawlResult later = await client.CancelCrawlAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(3600.5), error.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3600.5 - 60.75), stillClosed.RetryAfter);
        Assert.Equal(CancelOutcome.Cancelled, later.Outcome);
        Assert.Equal(1, mock.GetMatchCount(ok));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_SeparateClients_DoNotShareAGate()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl)
            .Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 600s"}""");
        MockedRequest ok = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var first = Stub.Client(mock, o => o.TimeProvider = time);
        using var second = Stub.Client(mock, o => o.TimeProvider = time);

        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => first.CancelBatchScrapeAsync(Stub.JobId));
        CancelCrawlResult result = await second.CancelCrawlAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(1, mock.GetMatchCount(ok));
    }
}
