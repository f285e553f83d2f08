using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Where one attempt ends and the next begins: the budget, the gate and the deadline at their exact edges.</summary>
public sealed class AttemptBoundaryTests
{
    [Theory]
    [InlineData(30.0, typeof(FirecrawlTimeoutException))]
    [InlineData(29.9, typeof(FirecrawlRateLimitException))]
    public async Task CancelBatchScrapeAsync_GateWaitAgainstTheBudget_WaitsWhenItFitsExactlyAndFailsFastWhenItDoesNot(double totalSeconds, Type expected)
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 29.5s"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.TotalTimeout = TimeSpan.FromSeconds(totalSeconds);
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        // The gate is closed for 29.5 s + 0.5 s: a call whose whole budget is 30 s may wait, and then has nothing left.
        Task<CancelCrawlResult> next = client.CancelCrawlAsync(Stub.JobId);
        time.Advance(TimeSpan.FromSeconds(30));
        Exception error = await Record.ExceptionAsync(() => next.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.IsType(expected, error);
        if (error is FirecrawlTimeoutException)
        {
            Assert.EndsWith("it ran past its 30 s limit (TotalTimeout).", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GateClosedForExactlyTheLongestACallMayWait_IsWaitedNotRefused()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 60s"}""");
        MockedRequest ok = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.MaxRetryAfter = TimeSpan.FromSeconds(60);
            o.Jitter = static () => 1.0;
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        // The gate holds 60 s + 0.5 s + 0.75 s of jitter: exactly MaxRetryAfter plus the most a text hint is padded.
        Task<CancelCrawlResult> next = client.CancelCrawlAsync(Stub.JobId);
        time.Advance(TimeSpan.FromSeconds(61.25));

        Assert.Equal(CancelOutcome.Cancelled, (await next.WaitAsync(TimeSpan.FromSeconds(20))).Outcome);
        Assert.Equal(1, mock.GetMatchCount(ok));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GateClosedForJustOverTheLongestACallMayWait_IsRefusedAtOnce()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 61s"}""");
        MockedRequest ok = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetryAfter = TimeSpan.FromSeconds(60);
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        var refused = await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal(TimeSpan.FromSeconds(61.5), refused.RetryAfter);
        Assert.Equal(0, mock.GetMatchCount(ok));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_RetryWaitUsesUpTheBudget_NextAttemptIsRefusedAsATotalTimeout()
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(_ =>
        {
            HttpResponseMessage response = Stub.Json(HttpStatusCode.ServiceUnavailable, "{}");
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(10));
            return response;
        });
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId);

        // The clock may move only once the retry wait has begun: moved earlier, the 10 s hint no longer fits the budget
        // and the call is refused after one attempt. Two timers are then due at 10 s: the first attempt's deadline
        // (the whole budget) and the wait the server asked for, capped at what is left of it.
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(10), count: 2);
        time.Advance(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<FirecrawlTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.EndsWith("the call timed out after 2 attempts: it ran past its 10 s limit (TotalTimeout).", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Theory]
    [InlineData(10, 30, "it ran past its 10 s limit (TotalTimeout).")]
    [InlineData(120, 5, "every attempt ran past the 5 s limit (AttemptTimeout).")]
    public async Task CancelBatchScrapeAsync_ServerNeverAnswers_TheShorterLimitEndsTheAttemptAndTheMessageNamesIt(int totalSeconds, int attemptSeconds, string expected)
    {
        var time = new FakeTimeProvider();
        var server = new HangingHandler();
        using var client = new FirecrawlClient(Stub.Options(o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.TotalTimeout = TimeSpan.FromSeconds(totalSeconds);
            o.AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds);
        }), server);

        var error = await Assert.ThrowsAsync<FirecrawlTimeoutException>(() => client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);

        // An attempt that timed out may have reached the server, so the client looks (a status read, bounded by the
        // attempt's limit) before it reports; a call whose whole time is spent reports without looking.
        Assert.Equal(attemptSeconds < totalSeconds ? 2 : 1, server.Calls);
    }

    /// <summary>
    /// An attempt's timer that fires late (a loaded machine; here a clock that moves in 0.75 s steps) can end the attempt
    /// after the call's whole budget is spent, with retries still allowed. What ended the call is then the total limit:
    /// a message naming the attempt's limit would send the reader to raise the wrong setting.
    /// </summary>
    [Fact]
    public async Task CancelBatchScrapeAsync_AnAttemptTimesOutAsTheBudgetRunsOut_TheMessageNamesTheTotalLimit()
    {
        var time = new FakeTimeProvider();
        var server = new HangingHandler();
        using var client = new FirecrawlClient(Stub.Options(o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 3;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(10.5);
        }), server);

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId);
        await SentAsync(server, 1);
        time.Advance(TimeSpan.FromSeconds(5));

        // The second attempt starts at 5 s with 5.5 s left, so its own 5 s limit is its deadline, due at 10 s; the clock
        // then jumps to 11 s, as a late timer does, and the attempt ends with no budget left and two retries unused.
        await SentAsync(server, 2);
        time.Advance(TimeSpan.FromSeconds(6));
        var error = await Assert.ThrowsAsync<FirecrawlTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.EndsWith("the call timed out after 2 attempts: it ran past its 10.5 s limit (TotalTimeout).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_NeitherTimeLimit_SendsWithoutADeadline()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        });

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_WaitsAtTheGateOrRetriesAfterAnException_LogsBoth()
    {
        var time = new FakeTimeProvider();
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"please retry after 2s"}""");
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "refused by " + Stub.SecretKey));
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 1;
            o.MaxRetryAfter = TimeSpan.FromSeconds(1);
            o.LoggerFactory = factory;
        });
        await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        // 2 s is more than the client sleeps, so that call failed; the gate keeps the padded 2.5 s. A second later 1.5 s
        // is left, within the 1 s + 0.75 s a call may wait at the gate.
        time.Advance(TimeSpan.FromSeconds(1));
        Task<CancelCrawlResult> next = client.CancelCrawlAsync(Stub.JobId);
        time.Advance(TimeSpan.FromSeconds(2.5));
        await next.WaitAsync(TimeSpan.FromSeconds(20));

        FakeLogRecord gate = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RateLimitGateWait");
        Assert.Equal("1500", gate.GetStructuredStateValue("DelayMs"));
        FakeLogRecord retry = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RetryScheduled");
        Assert.Equal("HttpRequestException: refused by [REDACTED]", retry.GetStructuredStateValue("Failure"));
        Assert.Equal("backoff", retry.GetStructuredStateValue("DelaySource"));
        Assert.Equal("/v1/crawl/{id}", retry.GetStructuredStateValue("Path"));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_BodyBreaksWhileBeingRead_TheResponseIsDisposed()
    {
        var content = new WatchedContent(_ => throw new IOException("The response ended prematurely."));
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.True(content.Disposed);
    }

    /// <summary>Waits, in real time, until the server has been sent that many attempts.</summary>
    private static async Task SentAsync(HangingHandler server, int attempts)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (server.Calls < attempts)
        {
            await Task.Delay(1, guard.Token);
        }
    }
}
