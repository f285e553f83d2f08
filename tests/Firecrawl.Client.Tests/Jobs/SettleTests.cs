using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Stop and confirm: after a cancel, read the status with back-off until the job is final and quiet.</summary>
public sealed class SettleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A status server that answers each read from a script (the last line repeats) and notes when it was read.</summary>
    private sealed class StatusScript(MockHttpMessageHandler mock, string url, WatchedFakeTime time, params string[] bodies)
    {
        private int _reads;

        public List<TimeSpan> ReadAt { get; } = [];

        public StatusScript Serve()
        {
            mock.When(HttpMethod.Get, url).Respond(_ =>
            {
                int read = Interlocked.Increment(ref _reads) - 1;
                lock (ReadAt)
                {
                    ReadAt.Add(time.Elapsed);
                }

                return Stub.Json(HttpStatusCode.OK, bodies[Math.Min(read, bodies.Length - 1)]);
            });
            return this;
        }
    }

    private static FirecrawlClient Client(MockHttpMessageHandler mock, WatchedFakeTime time, TimeSpan? interval = null, TimeSpan? timeout = null) =>
        Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleInterval = interval ?? TimeSpan.FromSeconds(5);
            o.SettleTimeout = timeout ?? TimeSpan.FromMinutes(2);
        });

    [Fact]
    public async Task CancelCrawlAsync_Settled_ReadsWithBackOffUntilFinalAndUnchangedForTheInterval()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        StatusScript status = new StatusScript(mock, Stub.CrawlUrl, time,
            """{"status":"cancelled","completed":3,"total":6,"creditsUsed":3}""",
            """{"status":"cancelled","completed":5,"total":5,"creditsUsed":5}""").Serve();
        using var client = Client(mock, time);

        // Reads at 0, then after 0.5, 1, 2 and 2.5 s (doubling up to half the 5 s interval); stable from 0.5 s, so the
        // read at 6 s is the first that has seen the same figures for 5 s.
        CancelCrawlResult result = await time.RunThroughAsync(client.CancelCrawlAsync(JobWaitUntil.Settled, Stub.JobId), 0.5, 1.5, 3.5, 6.0);

        JobSettlement settlement = Assert.IsType<JobSettlement>(result.Settlement);
        Assert.True(settlement.Settled);
        Assert.Null(settlement.Reason);
        Assert.Equal((5, 5), (settlement.Completed, settlement.CreditsUsed));
        Assert.Equal("cancelled", settlement.Status!.Status);
        Assert.Equal(TimeSpan.FromSeconds(6), settlement.Elapsed);
        Assert.Equal(5, settlement.Reads);
        Assert.Equal([0, 0.5, 1.5, 3.5, 6.0], status.ReadAt.Select(t => t.TotalSeconds));
        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
    }

    [Fact]
    public async Task WaitForSettledAsync_StillRunningWhenTheTimeRunsOut_IsAResultThatSaysWhy()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        new StatusScript(mock, Stub.BatchUrl, time, """{"status":"scraping","completed":1,"total":4,"creditsUsed":1}""").Serve();
        using var client = Client(mock, time, timeout: TimeSpan.FromSeconds(4));

        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.BatchScrape, Stub.JobId), 0.5, 1.5, 3.5, 4.0);

        Assert.False(settlement.Settled);
        Assert.Equal("it still read 'scraping' within 4 s (SettleTimeout)", settlement.Reason);
        Assert.Equal((1, 5), (settlement.Completed, settlement.Reads));
        Assert.Equal(TimeSpan.FromSeconds(4), settlement.Elapsed);
    }

    [Theory]
    [InlineData("completed", "creditsUsed")]
    [InlineData("creditsUsed", "completed")]
    public async Task WaitForSettledAsync_FiguresStillMovingWhenTheTimeRunsOut_SaysSo(string moving, string done)
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        int read = 0;
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(_ => Stub.Json(HttpStatusCode.OK, $$"""{"status":"cancelled","{{moving}}":{{++read}},"{{done}}":7,"total":100}"""));
        using var client = Client(mock, time, timeout: TimeSpan.FromSeconds(4));

        // Either figure moving keeps the job from settling, the other one still.
        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.5, 3.5, 4.0);

        Assert.False(settlement.Settled);
        Assert.Equal("its pages or credits were still moving within 4 s (SettleTimeout)", settlement.Reason);
        Assert.Equal(moving == "completed" ? (5, 7) : (7, 5), (settlement.Completed, settlement.CreditsUsed));
    }

    [Fact]
    public async Task WaitForSettledAsync_ALongInterval_ReadsAtLeastEveryTenSeconds()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        StatusScript status = new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"scraping","completed":1}""").Serve();
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleInterval = TimeSpan.FromMinutes(1);
            o.SettleTimeout = TimeSpan.FromSeconds(30);

            // No attempt timer: one due 10 s after a read would fall on the same instants as the waits this test follows.
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
        });

        // Doubling from 0.5 s, then capped at 10 s (not half of the 60 s interval), the last wait cut to the timeout.
        JobSettlement settlement = await time.RunThroughAsync(
            client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.5, 3.5, 7.5, 15.5, 25.5, 30.0);

        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5, 30.0], status.ReadAt.Select(t => t.TotalSeconds));
        Assert.Equal((false, 8), (settlement.Settled, settlement.Reads));
        Assert.Equal("it still read 'scraping' within 30 s (SettleTimeout)", settlement.Reason);
    }

    [Fact]
    public async Task WaitForSettledAsync_AnIntervalShorterThanTheFirstWait_StillWaitsTheFirstWaitBetweenReads()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        StatusScript status = new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"completed","completed":2}""").Serve();
        using var client = Client(mock, time, interval: TimeSpan.FromMilliseconds(200));

        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5);

        Assert.Equal([0, 0.5], status.ReadAt.Select(t => t.TotalSeconds));
        Assert.Equal((true, 2, TimeSpan.FromSeconds(0.5)), (settlement.Settled, settlement.Reads, settlement.Elapsed));
    }

    [Fact]
    public async Task WaitForSettledAsync_AFinalStateThatChanges_StartsTheQuietIntervalAgain()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        StatusScript status = new StatusScript(mock, Stub.CrawlUrl, time,
            """{"status":"cancelled","completed":3,"creditsUsed":3}""",
            """{"status":"completed","completed":3,"creditsUsed":3}""").Serve();
        using var client = Client(mock, time, interval: TimeSpan.FromSeconds(1));

        // Quiet from 0.5 s, when it first read completed: settled at 1.5 s, not at 1 s.
        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.0, 1.5);

        Assert.Equal((true, 4, TimeSpan.FromSeconds(1.5)), (settlement.Settled, settlement.Reads, settlement.Elapsed));
        Assert.Equal(FirecrawlJobState.Completed, settlement.Status!.State);
    }

    [Fact]
    public async Task WaitForSettledAsync_AFailedReadBetweenTwoGoodOnes_DoesNotEndTheWait()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled","completed":1}""");
        mock.Expect(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.NotFound, """{"success":false,"error":"gone for a moment"}""");
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled","completed":1}""");
        using var client = Client(mock, time, interval: TimeSpan.FromSeconds(1));

        // The failed read at 0.5 s neither ends the wait nor restarts the quiet interval counted from 0 s.
        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.0);

        Assert.Equal((true, 3, TimeSpan.FromSeconds(1)), (settlement.Settled, settlement.Reads, settlement.Elapsed));
    }

    [Fact]
    public async Task WaitForSettledAsync_NoReadSucceeds_NamesTheLastReadsFailure()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.NotFound, """{"success":false,"error":"Job expired"}""");
        using var client = Client(mock, time, timeout: TimeSpan.FromSeconds(2));

        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.5, 2.0);

        Assert.False(settlement.Settled);
        Assert.Null(settlement.Status);
        Assert.StartsWith("its status could not be read within 2 s (SettleTimeout): Reading the status of crawl", settlement.Reason, StringComparison.Ordinal);
        Assert.Contains("Job expired", settlement.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSettledAsync_ASelfHostedServersMinusOneCredits_SettleAsUnknown()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"cancelled","completed":0,"total":0,"creditsUsed":-1}""").Serve();
        using var client = Client(mock, time, interval: TimeSpan.FromSeconds(1));

        // Half of a 1 s interval is the first wait itself: reads every 0.5 s, settled after 1 s unchanged.
        JobSettlement settlement = await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.0);

        Assert.True(settlement.Settled);
        Assert.Null(settlement.CreditsUsed);
        Assert.Equal(0, settlement.Completed);
    }

    [Fact]
    public async Task CancelAgentAsync_Settled_AnAgentReadingFailedWithItsCancelError_SettlesOnItsCredits()
    {
        var time = new WatchedFakeTime(Start);
        string url = Stub.Base + "/v2/agent/" + Stub.JobId;
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, url).Respond(HttpStatusCode.OK, """{"success":true}""");
        new StatusScript(mock, url, time,
            """{"success":true,"status":"processing"}""",
            """{"success":true,"status":"failed","error":"Agent job was cancelled.","creditsUsed":30}""").Serve();
        using var client = Client(mock, time, interval: TimeSpan.FromSeconds(1));

        CancelAgentResult result = await time.RunThroughAsync(client.CancelAgentAsync(JobWaitUntil.Settled, Stub.JobId), 0.5, 1.0, 1.5);

        Assert.True(result.Settlement!.Settled);
        Assert.Equal(FirecrawlJobState.Cancelled, result.Settlement.Status!.State);
        Assert.Equal(30, result.Settlement.CreditsUsed);
        Assert.Null(result.Settlement.Completed);
    }

    [Fact]
    public async Task WaitForSettledAsync_LogsEachReadAndHowItEnded()
    {
        var time = new WatchedFakeTime(Start);
        var logs = new FakeLogCollector();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var mock = Stub.Mock();
        new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"cancelled","completed":4,"total":4,"creditsUsed":4}""").Serve();
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleInterval = TimeSpan.FromSeconds(1);
            o.LoggerFactory = factory;
        });

        await time.RunThroughAsync(client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId), 0.5, 1.0);

        var settling = logs.GetSnapshot().Where(r => r.Id.Name == "JobSettling").ToList();
        var settled = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "JobSettled");
        Assert.Equal(2, settling.Count);
        Assert.Equal((7, 8), (settling[0].Id.Id, settled.Id.Id));
        Assert.Equal("The crawl " + Stub.JobId + " reads cancelled (4 pages, 4 credits) after 0 ms; reading again in 500 ms, 120000 ms before the settle timeout", settling[0].Message);
        Assert.Equal("The crawl " + Stub.JobId + " settled after 1000 ms and 3 status read(s): cancelled, 4 pages, 4 credits", settled.Message);
    }

    [Fact]
    public async Task CancelCrawlAsync_Accepted_ReadsNoStatus()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        MockedRequest read = mock.When(HttpMethod.Get, Stub.CrawlUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        CancelCrawlResult result = await client.CancelCrawlAsync(JobWaitUntil.Accepted, Stub.JobId);

        Assert.Null(result.Settlement);
        Assert.Equal(0, mock.GetMatchCount(read));
    }

    [Fact]
    public async Task WaitForSettledAsync_TheCallerStops_IsTheCallersCancellation()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"scraping"}""").Serve();
        using var client = Client(mock, time);
        using var stop = new CancellationTokenSource();

        Task<JobSettlement> wait = client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId, stop.Token);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(0.5));
        await stop.CancelAsync();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(stop.Token, cancelled.CancellationToken);
    }

    [Fact]
    public async Task WaitForSettledAsync_TheClientIsDisposed_EndsTheWaitAsDisposed()
    {
        var time = new WatchedFakeTime(Start);
        using var mock = Stub.Mock();
        new StatusScript(mock, Stub.CrawlUrl, time, """{"status":"scraping"}""").Serve();
        var client = Client(mock, time);

        Task<JobSettlement> wait = client.WaitForSettledAsync(FirecrawlJobKind.Crawl, Stub.JobId);
        await time.WaitForTimerDueAtAsync(TimeSpan.FromSeconds(0.5));
        client.Dispose();

        var disposed = await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("while it waited for crawl", disposed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    public async Task WaitForSettledAsync_AnIdThatIsNotOne_IsRefusedAtOnce(string id)
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.WaitForSettledAsync(FirecrawlJobKind.Crawl, id));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.WaitForSettledAsync(null!, Stub.JobId));
    }
}
