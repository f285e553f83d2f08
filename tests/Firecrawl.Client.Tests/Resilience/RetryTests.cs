using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

public sealed class RetryTests
{
    private const string Cancelled = """{"status":"cancelled"}""";
    private const string RateLimited60 = """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 4, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 60s, resets at Sat Nov 28 2026 18:31:33 GMT+0000 (Coordinated Universal Time)"}""";

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, 3)]
    [InlineData(HttpStatusCode.TooManyRequests, 3)]
    [InlineData(HttpStatusCode.InternalServerError, 3)]
    [InlineData(HttpStatusCode.BadGateway, 3)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3)]
    [InlineData(HttpStatusCode.GatewayTimeout, 3)]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.Unauthorized, 1)]
    [InlineData(HttpStatusCode.PaymentRequired, 1)]
    [InlineData(HttpStatusCode.Forbidden, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    [InlineData(HttpStatusCode.Conflict, 1)]
    [InlineData(HttpStatusCode.NotImplemented, 1)]
    public async Task CancelBatchScrapeAsync_FailingStatus_RetriedOnlyWhenTransient(HttpStatusCode status, int expectedRequests)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(status, """{"error":"no luck"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(expectedRequests, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ZeroMaxRetries_SendsOnce()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(507)]
    [InlineData(599)]
    public async Task CancelBatchScrapeAsync_A5xxOtherThan500To504_FailsAtOnceWithoutARetry(int status)
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond((HttpStatusCode)status, "application/json", """{"error":"nope"}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ConnectionFailsOnceThenSucceeds_ReturnsCancelled()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Throw(new HttpRequestException("Connection refused"));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ConnectionAlwaysFails_ThrowsFirecrawlExceptionWrappingTheOriginal()
    {
        using var mock = Stub.Mock();
        var refused = new HttpRequestException("Connection refused (firecrawl.test:80)");
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Throw(refused);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(Stub.JobId));

        Assert.Same(refused, error.InnerException);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_BodyBreaksMidStream_RetriedThenSucceeds()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new BreaksAfterStream(Encoding.UTF8.GetBytes("""{"status":"canc"""))),
        });
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        using var client = Stub.Client(mock);

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(Stub.JobId)).Outcome);
        mock.VerifyNoOutstandingExpectation();
    }

    /// <summary>The server's hints, each waited out exactly before the one retry (the stub's jitter is 0).</summary>
    private static readonly Dictionary<string, (HttpStatusCode Status, string Body, Action<HttpResponseMessage, TimeProvider>? Hint, double Seconds)> Hints = new()
    {
        // The named 60 s, plus the half second Firecrawl's rounding may leave.
        ["429 text 'retry after 60s'"] = (HttpStatusCode.TooManyRequests, RateLimited60, null, 60.5),

        // A header's wait is the server's own, not rounded: no padding, and it wins over the text.
        ["429 text and Retry-After: 7"] = (HttpStatusCode.TooManyRequests, RateLimited60, (r, _) => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), 7),
        ["503 with Retry-After as an HTTP date 20 s ahead"] = (HttpStatusCode.ServiceUnavailable, "{}", (r, time) => r.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(20)), 20),
    };

    public static TheoryData<string> HintCases => [.. Hints.Keys];

    [Theory]
    [MemberData(nameof(HintCases))]
    public async Task CancelBatchScrapeAsync_TheServersHint_IsWaitedExactlyThenTheRetrySucceeds(string hint)
    {
        (HttpStatusCode status, string body, Action<HttpResponseMessage, TimeProvider>? header, double seconds) = Hints[hint];
        var time = new WatchedFakeTime(new DateTimeOffset(2026, 11, 28, 18, 0, 0, TimeSpan.Zero));
        var arrivals = new Arrivals(time);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(arrivals.Answer(status, body, header is null ? null : r => header(r, time)));
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(arrivals.Answer(HttpStatusCode.OK, Cancelled));
        using var client = Stub.Client(mock, o => o.TimeProvider = time);

        CancelBatchScrapeResult result = await time.RunThroughAsync(client.CancelBatchScrapeAsync(Stub.JobId), seconds);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(arrivals.Gaps()));
    }

    [Theory]
    [InlineData("""{"success":false,"error":"Rate limit exceeded. Please retry after 120s"}""", 120, 120.5)] // over MaxRetryAfter (60 s)
    [InlineData(RateLimited60, 30, 60.5)] // within MaxRetryAfter, over the 30 s the call has left
    public async Task CancelBatchScrapeAsync_HintLongerThanTheCallMayWait_ThrowsAtOnceWithRetryAfter(string body, int totalTimeoutSeconds, double retryAfterSeconds)
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.TooManyRequests, body);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.TotalTimeout = TimeSpan.FromSeconds(totalTimeoutSeconds);
        });

        // The clock is never advanced: a client that tried to sleep through the hint would never finish.
        var error = await Assert.ThrowsAsync<FirecrawlRateLimitException>(
            () => client.CancelBatchScrapeAsync(Stub.JobId).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), error.RetryAfter);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_BackOffWithoutHints_GrowsWithJitterAndStaysUnderMaxDelay()
    {
        var time = new FakeTimeProvider();
        var arrivals = new Arrivals(time);
        using var mock = Stub.Mock();
        for (int i = 0; i < 5; i++)
        {
            mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(arrivals.Answer(HttpStatusCode.ServiceUnavailable, "{}"));
        }

        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(arrivals.Answer(HttpStatusCode.OK, Cancelled));
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 5;
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.RetryMaxDelay = TimeSpan.FromSeconds(4);
        });

        await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromMilliseconds(50));

        List<TimeSpan> gaps = arrivals.Gaps();
        Assert.Equal(5, gaps.Count);
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(4.5)));
        Assert.True(gaps.Distinct().Count() > 1, "Jitter should make the waits differ.");
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CallerCancelsDuringBackOff_ThrowsOperationCanceledPromptly()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.ServiceUnavailable, "{}");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromMinutes(10);
            o.RetryMaxDelay = TimeSpan.FromMinutes(10);
        });
        using var cts = new CancellationTokenSource();

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId, cts.Token);
        while (mock.GetMatchCount(route) == 0)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        Exception error = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(1, mock.GetMatchCount(route));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CallerCancelsWhileServerHangs_ThrowsOperationCanceled()
    {
        var hanging = new HangingHandler();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(hanging);
        using var client = Stub.Client(mock);
        using var cts = new CancellationTokenSource();

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(Stub.JobId, cts.Token);
        while (hanging.Calls == 0)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();

        Exception error = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(1, hanging.Calls);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_TokenAlreadyCancelled_ThrowsWithoutSending()
    {
        using var mock = Stub.Mock();
        MockedRequest route = mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        using var client = Stub.Client(mock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CancelBatchScrapeAsync(Stub.JobId, new CancellationToken(canceled: true)));

        Assert.Equal(0, mock.GetMatchCount(route));
    }

    [Theory]
    [InlineData(2, 5, 120, 3, "timed out after 3 attempts: every attempt ran past the 5 s limit (AttemptTimeout)")]
    [InlineData(3, -1, 10, 1, "the call timed out: it ran past its 10 s limit (TotalTimeout)")]
    public async Task CancelBatchScrapeAsync_AServerThatNeverAnswers_EndsWithATimeoutNamingTheLimit(
        int maxRetries, int attemptSeconds, int totalSeconds, int expectedCalls, string expected)
    {
        var time = new FakeTimeProvider();
        var hanging = new HangingHandler();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(hanging);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = maxRetries;
            o.AttemptTimeout = attemptSeconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(attemptSeconds);
            o.TotalTimeout = TimeSpan.FromSeconds(totalSeconds);
        });

        var error = await Assert.ThrowsAsync<FirecrawlTimeoutException>(
            () => client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromSeconds(1)));

        Assert.Equal(expectedCalls, hanging.Calls);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_FirstAttemptTimesOut_RetriesAndSucceeds()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(new HangingHandler());
        mock.Expect(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, Cancelled);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
        });

        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(Stub.JobId).WithFakeTime(time, TimeSpan.FromSeconds(1));

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        mock.VerifyNoOutstandingExpectation();
    }

    /// <summary>Sends some bytes, then fails the way a dropped connection does mid-body.</summary>
    private sealed class BreaksAfterStream(byte[] prefix) : MemoryStream(prefix)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position < Length ? base.Read(buffer, offset, count) : throw new IOException("The response ended prematurely.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : ValueTask.FromException<int>(new IOException("The response ended prematurely."));
    }
}
