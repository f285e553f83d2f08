using System.Net;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>The streaming bulk cancel: each job as it ends, in bounded memory, however many ids it reads.</summary>
public sealed class BulkStreamTests
{
    private static readonly Func<string, CancellationToken, Task<JobSettlement>> NoSettle =
        static (_, _) => throw new InvalidOperationException("This run does not wait for jobs to settle.");

    private static IAsyncEnumerable<JobCancellation> Stream(
        IEnumerable<string> ids, Func<string, CancellationToken, Task<CancelBatchScrapeResult>> cancel, BulkCancelOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.StreamAsync(ids, cancel, NoSettle, FirecrawlJobKind.BatchScrape, BulkCanceller.Check(ids, options), runtime: null, cancellationToken);

    private static Task<CancelBatchScrapeResult> Cancelled(string id) =>
        Task.FromResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled });

    /// <summary>An input that counts how far it has been read.</summary>
    private sealed class CountedIds(int count) : IEnumerable<string>
    {
        private int _read;

        public int Read => Volatile.Read(ref _read);

        public IEnumerator<string> GetEnumerator()
        {
            for (int i = 0; i < count; i++)
            {
                Interlocked.Increment(ref _read);
                yield return "job-" + i;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task StreamAsync_YieldsEachJobAsItEnds_NotInInputOrder()
    {
        var gates = new Dictionary<string, TaskCompletionSource<CancelBatchScrapeResult>>
        {
            ["a"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["b"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["c"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var seen = new List<string>();

        await using IAsyncEnumerator<JobCancellation> stream = Stream(["a", "b", "c"], (id, _) => gates[id].Task, new BulkCancelOptions { MaxConcurrency = 3 }).GetAsyncEnumerator();
        foreach (string id in new[] { "c", "a", "b" })
        {
            ValueTask<bool> next = stream.MoveNextAsync();
            gates[id].SetResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled });
            Assert.True(await next.AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
            seen.Add(stream.Current.JobId);
        }

        Assert.False(await stream.MoveNextAsync());
        Assert.Equal(["c", "a", "b"], seen);
    }

    [Fact]
    public async Task StreamAsync_ReadsTheInputOnlyAsFarAsTheReaderKeepsUp_SoMemoryDoesNotGrowWithTheIds()
    {
        var ids = new CountedIds(100_000);
        var options = new BulkCancelOptions { MaxConcurrency = 8 };
        int handed = 0;
        int widest = 0;

        await foreach (JobCancellation job in Stream(ids, (id, _) => Cancelled(id), options))
        {
            handed++;
            widest = Math.Max(widest, ids.Read - handed);
            if (handed % 1000 == 0)
            {
                await Task.Yield();
            }
        }

        // Ids read but not yet handed to the reader: at most the buffer (two per settle slot), a job per worker, and the
        // one a worker has just read.
        Assert.Equal(100_000, handed);
        Assert.InRange(widest, 0, (BulkCanceller.MaxSettling * 2) + options.MaxConcurrency + 1);
    }

    [Fact]
    public async Task StreamAsync_TheReaderLeavesAfterTheFirstJob_CallsInFlightEndAndNoMoreIdsAreRead()
    {
        var ids = new CountedIds(1_000_000);
        int started = 0;
        int ended = 0;
        JobCancellation? first = null;

        await foreach (JobCancellation job in Stream(ids, async (id, token) =>
        {
            try
            {
                if (Interlocked.Increment(ref started) > 1)
                {
                    // Every call after the first hangs until something ends it.
                    await Task.Delay(Timeout.Infinite, token);
                }

                return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
            }
            finally
            {
                Interlocked.Increment(ref ended);
            }
        }, new BulkCancelOptions { MaxConcurrency = 4 }))
        {
            first = job;
            break;
        }

        // Leaving the loop disposed the stream, which returned only once every call had ended.
        Assert.Equal(CancelOutcome.Cancelled, first!.Outcome);
        Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref ended));
        Assert.InRange(ids.Read, 1, 5);
    }

    [Fact]
    public async Task StreamAsync_TheCallersTokenStopsIt_JobsInFlightAreYieldedWithTheCallersToken_AndTheStreamEnds()
    {
        using var stop = new CancellationTokenSource();
        var jobs = new List<JobCancellation>();
        int started = 0;

        await foreach (JobCancellation job in Stream(new CountedIds(1_000), async (id, token) =>
        {
            if (Interlocked.Increment(ref started) == 3)
            {
                await stop.CancelAsync();
            }

            await Task.Delay(Timeout.Infinite, token);
            return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
        }, new BulkCancelOptions { MaxConcurrency = 3 }, stop.Token))
        {
            jobs.Add(job);
        }

        Assert.Equal(3, jobs.Count);
        Assert.All(jobs, job => Assert.Equal(stop.Token, Assert.IsAssignableFrom<OperationCanceledException>(job.Error).CancellationToken));
    }

    [Fact]
    public async Task StreamAsync_RepeatedIds_AreCancelledOnce_UnlessTheCallerSaysTheyAreDistinct()
    {
        var sent = new List<string>();
        Func<string, CancellationToken, Task<CancelBatchScrapeResult>> cancel = (id, _) =>
        {
            lock (sent)
            {
                sent.Add(id);
            }

            return Cancelled(id);
        };
        string[] ids = ["a", "b", "a", "é", "e\u0301", "é", "b"];

        await foreach (JobCancellation _ in Stream(ids, cancel))
        {
        }

        Assert.Equal(["a", "b", "e\u0301", "é"], sent.Order(StringComparer.Ordinal));
        sent.Clear();
        await foreach (JobCancellation _ in Stream(ids, cancel, new BulkCancelOptions { IdsAreDistinct = true }))
        {
        }

        Assert.Equal(7, sent.Count);
    }

    [Fact]
    public async Task StreamAsync_TheInputThrows_TheJobsBeforeItAreYielded_ThenTheReaderMeetsTheError()
    {
        static IEnumerable<string> Broken()
        {
            yield return "a";
            yield return "b";
            throw new IOException("The disk went away.");
        }

        var jobs = new List<string>();
        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (JobCancellation job in Stream(Broken(), (id, _) => Cancelled(id), new BulkCancelOptions { MaxConcurrency = 1 }))
            {
                jobs.Add(job.JobId);
            }
        });

        Assert.Equal("The disk went away.", error.Message);
        Assert.Equal(["a", "b"], jobs);
    }

    [Fact]
    public void CancelJobsStreamingAsync_BadArguments_AreRefusedWhenCalled_NotWhenFirstRead()
    {
        using var mock = Stub.Mock();
        using var client = Stub.Client(mock);

        Assert.Throws<ArgumentNullException>(() => client.CancelJobsStreamingAsync(null!, ["a"]));
        Assert.Throws<ArgumentNullException>(() => client.CancelJobsStreamingAsync(FirecrawlJobKind.Crawl, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.CancelJobsStreamingAsync(FirecrawlJobKind.Crawl, ["a"], new BulkCancelOptions { MaxConcurrency = 0 }));
    }

    [Fact]
    public async Task CancelJobsStreamingAsync_ThroughTheClient_EachKindsRouteAndWaitsWhenAsked()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.Base + "/v2/agent/*").Respond(HttpStatusCode.OK, """{"success":true}""");
        mock.When(HttpMethod.Get, Stub.Base + "/v2/agent/*").Respond(HttpStatusCode.OK, """{"success":true,"status":"failed","error":"Agent job was cancelled.","creditsUsed":2}""");
        using var client = Stub.Client(mock, o => o.SettleInterval = TimeSpan.Zero);
        var jobs = new List<JobCancellation>();

        await foreach (JobCancellation job in client.CancelJobsStreamingAsync(FirecrawlJobKind.Agent, ["x", "y"], new BulkCancelOptions { WaitUntil = JobWaitUntil.Settled }))
        {
            jobs.Add(job);
        }

        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, job => Assert.Equal((CancelOutcome.Cancelled, true, 2), (job.Outcome!.Value, job.Settlement!.Settled, job.Settlement.CreditsUsed!.Value)));
    }

    [Fact]
    public void JobIdSet_RemembersIdsByTheirHash_AndTellsRepeats()
    {
        var set = new JobIdSet();

        Assert.True(set.Add("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f"));
        Assert.False(set.Add("019c0ed5-126b-7581-9a3e-4f1c2b3d4e5f"));
        Assert.True(set.Add("019C0ED5-126B-7581-9A3E-4F1C2B3D4E5F"));
        Assert.True(set.Add(string.Empty));
        Assert.False(set.Add(string.Empty));
        Assert.True(set.Add(new string('x', 10_000)));
        Assert.Equal(4, set.Count);
    }
}
