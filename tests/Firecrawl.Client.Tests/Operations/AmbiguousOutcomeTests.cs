using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// A cancel that fails after an attempt that may have reached the server is looked up before it is reported: never a
/// failure for a job that stopped, never a cancel for one that did not.
/// </summary>
public sealed class AmbiguousOutcomeTests
{
    public static TheoryData<string, string, string> Kinds => new()
    {
        { "batch-scrape", "/v1/batch/scrape/", """{"success":true,"status":"cancelled","completed":0,"total":1,"creditsUsed":0}""" },
        { "crawl", "/v1/crawl/", """{"success":true,"status":"cancelled","completed":0,"total":0,"creditsUsed":0}""" },
        { "agent", "/v2/agent/", """{"success":true,"status":"failed","error":"Agent job was cancelled.","creditsUsed":4}""" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CancelJobAsync_AnswerLostThenTheNewestServersRepeatCancel500_IsCancelledConfirmedByAStatusRead(string kindName, string path, string cancelledStatus)
    {
        FirecrawlJobKind kind = FirecrawlJobKind.All.Single(k => k.Name == kindName);
        string url = Stub.Base + path + Stub.JobId;
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, url).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        mock.Expect(HttpMethod.Delete, url).Respond(HttpStatusCode.InternalServerError, """{"success":false,"error":"Failed to cancel crawl"}""");
        mock.Expect(HttpMethod.Delete, url).Respond(HttpStatusCode.InternalServerError, """{"success":false,"error":"Failed to cancel crawl"}""");
        mock.Expect(HttpMethod.Get, url).Respond(HttpStatusCode.OK, cancelledStatus);
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        CancelJobResult result = await client.CancelJobAsync(kind, Stub.JobId);

        Assert.Equal((CancelOutcome.Cancelled, true), (result.Outcome, result.ConfirmedByStatusRead));
        Assert.Equal(kindName switch { "agent" => typeof(CancelAgentResult), "crawl" => typeof(CancelCrawlResult), _ => typeof(CancelBatchScrapeResult) }, result.GetType());
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelCrawlAsync_AnAttemptTimeoutThenA502_LooksAndFindsTheJobCompleted_IsAlreadyCompleted()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(new HangingHandler());
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.BadGateway, """{"error":"bad gateway"}""");
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"completed","completed":4,"total":4,"creditsUsed":4}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 1;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
        });

        CancelCrawlResult result = await client.CancelCrawlAsync(Stub.JobId).WithFakeTime(time);

        Assert.Equal((CancelOutcome.AlreadyCompleted, true), (result.Outcome, result.ConfirmedByStatusRead));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelCrawlAsync_LookedUpAndStillRunning_ReportsTheFailure_NeverACancel()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.ServiceUnavailable, """{"error":"down"}""");
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"scraping","completed":1,"total":9}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task CancelCrawlAsync_TheLookItselfFails_ReportsTheCancelsOwnFailure()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.InternalServerError, """{"error":"Failed to cancel crawl"}""");
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.NotFound, """{"success":false,"error":"Job not found"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Contains("Failed to cancel crawl", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(read));
    }

    [Fact]
    public async Task CancelCrawlAsync_Only500s_NoAttemptThatMayHaveBeenLost_DoesNotLook()
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.InternalServerError, """{"error":"Failed to cancel crawl"}""");
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 2);

        await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal((3, 0), (mock.GetMatchCount(cancel), mock.GetMatchCount(read)));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.SecureConnectionError)]
    public async Task CancelCrawlAsync_FailuresBeforeAnyByteWasSent_DoNotLook(HttpRequestError before)
    {
        using var mock = Stub.Mock();
        MockedRequest cancel = mock.When(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(before, "never connected"));
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 1);

        await Assert.ThrowsAnyAsync<FirecrawlException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal((2, 0), (mock.GetMatchCount(cancel), mock.GetMatchCount(read)));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"error":"Job not found"}""")]
    [InlineData(HttpStatusCode.Forbidden, """{"error":"Unauthorized"}""")]
    public async Task CancelCrawlAsync_AServersWordAboutTheJobAfterALostAttempt_Stands(HttpStatusCode status, string body)
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Respond(status, body);
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAnyAsync<FirecrawlApiException>(() => client.CancelCrawlAsync(Stub.JobId));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(0, mock.GetMatchCount(read));
    }

    [Fact]
    public async Task CancelCrawlAsync_EveryAttemptTimesOut_TheLookIsBoundedByTheAttemptLimit_AndTheTimeoutIsReported()
    {
        var time = new FakeTimeProvider();
        var server = new HangingHandler();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(server);
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(server);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(3);
        });

        await Assert.ThrowsAsync<FirecrawlTimeoutException>(() => client.CancelCrawlAsync(Stub.JobId).WithFakeTime(time));

        // The cancel's attempt and the look's one read, each cut at the 3 s attempt limit.
        Assert.Equal(2, server.Calls);
    }

    [Fact]
    public async Task CancelCrawlAsync_ALookWithNoAttemptOrTotalLimit_IsStillBoundedAtTenSeconds()
    {
        var time = new WatchedFakeTime();
        var server = new HangingHandler();
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(server);
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.MaxRetries = 0;
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        });

        Task<CancelCrawlResult> call = client.CancelCrawlAsync(Stub.JobId);

        // The look's timer exists before its read is sent: move the clock only once the read is at the server.
        await server.Reached.WaitAsync(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<FirecrawlException>(() => time.RunThroughAsync(call, 10.0));

        // The cancel's own failure, reported once the look gave up at its bound.
        Assert.Contains("cut", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), time.Elapsed);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task CancelCrawlAsync_ACallerCancelDuringTheLook_IsTheCallersCancellation()
    {
        using var mock = Stub.Mock();
        using var stop = new CancellationTokenSource();
        mock.Expect(HttpMethod.Delete, Stub.CrawlUrl).Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"));
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(_ =>
        {
            stop.Cancel();
            throw new OperationCanceledException(stop.Token);
        });
        using var client = Stub.Client(mock, o => o.MaxRetries = 0);

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CancelCrawlAsync(Stub.JobId, stop.Token));

        Assert.Equal(stop.Token, cancelled.CancellationToken);
    }
}
