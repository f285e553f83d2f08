using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Firecrawl's limiter names its wait as <c>Math.round(msBeforeNext / 1000) || 1</c> seconds, so the window can reopen
/// up to half a second after the time it names. A client that sleeps exactly the named time comes back early.
/// </summary>
public sealed class RoundingLimiterTests
{
    public static TheoryData<string, int> WindowsOnBothPaths()
    {
        var rows = new TheoryData<string, int>();
        foreach (string path in new[] { Paths.Plain, Paths.Injected })
        {
            foreach (int ms in new[] { 58_314, 58_499, 57_500, 1_400, 400, 900 })
            {
                rows.Add(path, ms);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(WindowsOnBothPaths))]
    public async Task CancelBatchScrapeAsync_LimiterRoundsItsHint_One429ThenSuccessNeverASecond429(string path, int reopensInMs)
    {
        var time = new FakeTimeProvider();
        var limiter = new RoundingLimiter(time, TimeSpan.FromMilliseconds(reopensInMs));
        using Paths paths = Paths.For(path, limiter, o =>
        {
            o.TimeProvider = time;
            o.Jitter = static () => 0.999;
        });

        // Steps of a quarter second: a client that slept exactly the named 58 s would arrive before 58.25 s, still inside
        // a window that reopens at 58.314 s.
        CancelBatchScrapeResult result = await paths.Client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromMilliseconds(250));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(1, limiter.Refused);
        Assert.Equal(1, limiter.Accepted);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_TextHint_WaitsTheHintPlusHalfASecondPlusItsJitter()
    {
        var time = new WatchedFakeTime();
        var limiter = new RoundingLimiter(time, TimeSpan.FromMilliseconds(58_314));
        using var client = new FirecrawlClient(Stub.Options(o =>
        {
            o.TimeProvider = time;
            o.Jitter = static () => 0.5;
        }), limiter);

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromMilliseconds(58_625));   // the 429 is in and the wait begun
        time.Advance(TimeSpan.FromMilliseconds(58_625 - 1));
        await Task.Delay(20); // room for a send that should not happen; it cannot make a correct client fail
        Assert.Equal(0, limiter.Accepted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(CancelOutcome.Cancelled, (await call.WaitAsync(TimeSpan.FromSeconds(20))).Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(58_625), limiter.LastArrival);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_OtherCallAfterA429_WaitsAtTheGateForThePaddedTimeToo()
    {
        var time = new WatchedFakeTime();
        var limiter = new RoundingLimiter(time, TimeSpan.FromMilliseconds(10_400));
        using var client = new FirecrawlClient(Stub.Options(o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.Jitter = static () => 0;
        }), limiter);

        var first = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));
        Task<CancelCrawlResult> second = client.CancelCrawlAsync(Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromMilliseconds(10_500));
        time.Advance(TimeSpan.FromMilliseconds(10_499));
        await Task.Delay(20); // room for a send that should not happen; it cannot make a correct client fail
        Assert.Equal(0, limiter.Accepted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(CancelOutcome.Cancelled, (await second.WaitAsync(TimeSpan.FromSeconds(20))).Outcome);
        Assert.Equal(TimeSpan.FromSeconds(10.5), first.RetryAfter);
        Assert.Equal(1, limiter.Refused);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_TextHintOfExactlyMaxRetryAfter_IsStillWaited()
    {
        var time = new FakeTimeProvider();
        var limiter = new RoundingLimiter(time, TimeSpan.FromSeconds(60));
        using var client = new FirecrawlClient(Stub.Options(o =>
        {
            o.TimeProvider = time;
            o.MaxRetryAfter = TimeSpan.FromSeconds(60);
        }), limiter);

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromSeconds(1));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(1, limiter.Refused);
    }

    /// <summary>
    /// A fixed window that opened at the first request and reopens after <c>reopensIn</c>; every request before that is
    /// refused with the server's own body and its rounding.
    /// </summary>
    private sealed class RoundingLimiter(FakeTimeProvider time, TimeSpan reopensIn) : HttpMessageHandler
    {
        private readonly DateTimeOffset _opened = time.GetUtcNow();
        private bool _first = true;

        public int Refused { get; private set; }

        public int Accepted { get; private set; }

        public TimeSpan LastArrival { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (this)
            {
                TimeSpan now = time.GetUtcNow() - _opened;
                LastArrival = now;
                if (_first || now < reopensIn)
                {
                    _first = false;
                    Refused++;
                    double msBeforeNext = (reopensIn - now).TotalMilliseconds;
                    long seconds = (long)Math.Round(msBeforeNext / 1000, MidpointRounding.AwayFromZero);
                    string text = string.Create(CultureInfo.InvariantCulture, $"Rate limit exceeded. Consumed (req/min): {Refused + 5}, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after {(seconds == 0 ? 1 : seconds)}s, resets at Sun Nov 29 2026 03:42:54 GMT+0000 (Coordinated Universal Time)");
                    return Task.FromResult(Stub.Json(HttpStatusCode.TooManyRequests, $$"""{"success":false,"error":"{{text}}"}"""));
                }

                Accepted++;
                return Task.FromResult(Stub.Json(HttpStatusCode.OK, """{"status":"cancelled"}"""));
            }
        }
    }
}
