using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>No wall-clock step may lock or release anything: waits, deadlines and the gate run on monotonic time.</summary>
public sealed class MonotonicTimeTests
{
    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public async Task CancelBatchScrapeAsync_WallClockStepsAfterA429_GateOpensAfterTheHintAsMeasuredMonotonically(int stepSeconds)
    {
        var clock = new SteppingClock();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"Rate limit exceeded. please retry after 1s"}""");
        MockedRequest ok = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = clock;
            o.MaxRetries = 0;
            o.Jitter = static () => 0;
        });

        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        clock.WallClockStep = TimeSpan.FromSeconds(stepSeconds);
        Task<CancelCrawlResult> next = client.CancelCrawlAsync(Stub.JobId);
        await clock.Monotonic.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(1.5));   // waiting at the gate, on monotonic time
        Assert.Equal(0, mock.GetMatchCount(ok));
        clock.Monotonic.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(CancelOutcome.Cancelled, (await next.WaitAsync(TimeSpan.FromSeconds(20))).Outcome);
        Assert.Equal(1, mock.GetMatchCount(ok));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_WallClockJumpsForwardDuringACall_TheBudgetIsNotSpent()
    {
        var clock = new SteppingClock();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            clock.WallClockStep = TimeSpan.FromHours(3);
            return Stub.Json(HttpStatusCode.ServiceUnavailable, "{}");
        });
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = clock;
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        mock.VerifyNoOutstandingExpectation();
    }
}
