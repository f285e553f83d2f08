using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>A bulk cancel that waits for its jobs to settle: every job is told to stop first, the waits trail behind.</summary>
public sealed class BulkSettleTests
{
    private const string A = "019c0ed5-126b-7581-9a3e-00000000000a";
    private const string B = "019c0ed5-126b-7581-9a3e-00000000000b";
    private const string C = "019c0ed5-126b-7581-9a3e-00000000000c";

    private static string Crawl(string id) => Stub.Base + "/v1/crawl/" + id;

    [Fact]
    public async Task CancelCrawlsAsync_Settled_EachStoppedJobSettles_AndTheResultAddsUpTheirCredits()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Crawl(A)).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Delete, Crawl(B)).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Delete, Crawl(C)).Respond(HttpStatusCode.NotFound, """{"error":"Job not found"}""");
        mock.When(HttpMethod.Get, Crawl(A)).Respond(HttpStatusCode.OK, """{"status":"cancelled","completed":5,"total":5,"creditsUsed":5}""");
        mock.When(HttpMethod.Get, Crawl(B)).Respond(HttpStatusCode.OK, """{"status":"cancelled","completed":2,"total":2,"creditsUsed":2}""");
        MockedRequest readC = mock.When(HttpMethod.Get, Crawl(C)).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleInterval = TimeSpan.FromSeconds(1);
        });

        BulkCancelResult result = await client.CancelCrawlsAsync([A, B, C], new BulkCancelOptions { WaitUntil = JobWaitUntil.Settled }).WithFakeTime(time);

        Assert.Equal((2, 0, 1, 0, 7L), (result.Cancelled, result.AlreadyCompleted, result.Failed, result.NotSettled, result.CreditsUsed));
        Assert.True(result.Jobs.Single(j => j.JobId == A).Settlement!.Settled);
        Assert.Equal(2, result.Jobs.Single(j => j.JobId == B).Settlement!.CreditsUsed);
        Assert.Null(result.Jobs.Single(j => j.JobId == C).Settlement);
        Assert.Equal(0, mock.GetMatchCount(readC));
    }

    [Fact]
    public async Task CancelCrawlsAsync_Settled_TheWaitsNeverHoldACancelBack()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        MockedRequest cancels = mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/*").Respond(HttpStatusCode.OK, """{"status":"scraping","completed":1,"total":9,"creditsUsed":1}""");
        using var client = Stub.Client(mock, o =>
        {
            o.TimeProvider = time;
            o.SettleTimeout = TimeSpan.FromSeconds(3);
        });
        var progress = new List<BulkCancelProgress>();
        var options = new BulkCancelOptions
        {
            MaxConcurrency = 1,
            WaitUntil = JobWaitUntil.Settled,
            Progress = new SynchronousProgress<BulkCancelProgress>(p =>
            {
                lock (progress)
                {
                    progress.Add(p);
                }
            }),
        };

        Task<BulkCancelResult> bulk = client.CancelCrawlsAsync([A, B, C], options);

        // One cancel at a time, and no fake time has passed: all three went before any wait could have ended.
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (mock.GetMatchCount(cancels) < 3)
            {
                await Task.Delay(1, guard.Token);
            }
        }

        BulkCancelResult result = await bulk.WithFakeTime(time);
        Assert.Equal((3, 3, 3L), (result.Cancelled, result.NotSettled, result.CreditsUsed));
        Assert.All(result.Jobs, job => Assert.Equal("it still read 'scraping' within 3 s (SettleTimeout)", job.Settlement!.Reason));
        Assert.True(result.AllStopped);
        lock (progress)
        {
            Assert.Contains(progress, p => p.Settling > 0);
            Assert.Equal(0, progress[^1].Settling);
        }
    }

    [Fact]
    public async Task CancelCrawlsAsync_Accepted_ReadsNoStatusAndNamesNoCredits()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        BulkCancelResult result = await client.CancelCrawlsAsync([A, B]);

        Assert.Equal((2, 0, (long?)null), (result.Cancelled, result.NotSettled, result.CreditsUsed));
        Assert.All(result.Jobs, job => Assert.Null(job.Settlement));
    }

    [Fact]
    public async Task CancelCrawlsAsync_Settled_TheCallerStopsDuringTheWaits_EachStoppedJobIsStillReportedStopped()
    {
        var time = new FakeTimeProvider();
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/*").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        MockedRequest reads = mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/*").Respond(HttpStatusCode.OK, """{"status":"scraping"}""");
        using var client = Stub.Client(mock, o => o.TimeProvider = time);
        using var stop = new CancellationTokenSource();
        var options = new BulkCancelOptions { WaitUntil = JobWaitUntil.Settled };

        Task<BulkCancelResult> bulk = client.CancelCrawlsAsync([A, B], options, stop.Token);
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (mock.GetMatchCount(reads) < 2)
            {
                await Task.Delay(1, guard.Token);
            }
        }

        await stop.CancelAsync();
        BulkCancelResult result = await bulk.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Interrupted);
        Assert.Equal(2, result.Cancelled);
        Assert.All(result.Jobs, job => Assert.Null(job.Settlement));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
