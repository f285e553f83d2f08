using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class RateLimitGateTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_AnotherCallHeard429WithHint_NextCallWaitsForTheHintBeforeSending()
    {
        var time = new FakeTimeProvider();
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
        CancelCrawlResult second = await client.CancelCrawlAsync(Stub.JobId).WithFakeTime(time);

        Assert.Equal(CancelOutcome.Cancelled, second.Outcome);
        Assert.InRange(Assert.Single(arrivals.Gaps()), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GateClosedLongerThanBudget_FailsAtOnceWithoutSending()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl)
            .Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 600s"}""");
        using var client = Stub.Client(mock, o => o.TimeProvider = time);

        var first = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        time.Advance(TimeSpan.FromSeconds(100));
        var second = await Assert.ThrowsAsync<FirecrawlRateLimitException>(
            () => client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeSpan.FromSeconds(600), first.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(500), second.RetryAfter);
        Assert.Contains("Cancelling batch scrape", second.Message, StringComparison.Ordinal);
        Assert.Contains("holds every call back", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_SeparateClients_DoNotShareAGate()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest limited = mock.When(HttpMethod.Delete, Stub.BatchUrl)
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
