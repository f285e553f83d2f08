using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>Cancelling many jobs: partial failure as data, bounded concurrency, lazy input, the shared limiter.</summary>
public sealed class BulkCancelTests
{
    private static readonly FirecrawlError NotFound = new() { Message = "Job not found" };

    private static Task<CancelBatchScrapeResult> Cancelled(string id) =>
        Task.FromResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled });

    private static Task<BulkCancelResult> Run(IEnumerable<string> ids, Func<string, CancellationToken, Task<CancelBatchScrapeResult>> cancel,
        BulkCancelOptions? options = null, TimeProvider? clock = null, CancellationToken cancellationToken = default) =>
        BulkCanceller.RunAsync(ids, cancel, static (_, _) => throw new InvalidOperationException("This bulk cancel does not wait for jobs to settle."), FirecrawlJobKind.BatchScrape, options, runtime: null, cancellationToken, clock);

    [Fact]
    public async Task RunAsync_SomeJobsFail_ReportsEachJobAndCountsWithoutThrowing()
    {
        BulkCancelResult result = await Run(["a", "b", "c", "d"], (id, _) => id switch
        {
            "b" => Task.FromResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.AlreadyCompleted, Message = "done" }),
            "c" => Task.FromException<CancelBatchScrapeResult>(new FirecrawlNotFoundException(NotFound)),
            _ => Cancelled(id),
        });

        Assert.Equal((2, 1, 1), (result.Cancelled, result.AlreadyCompleted, result.Failed));
        Assert.False(result.Interrupted);
        Assert.False(result.AllStopped);
        Assert.Equal(["a", "b", "c", "d"], result.Jobs.Select(job => job.JobId).Order());
        JobCancellation failed = Assert.Single(result.Jobs, job => !job.Stopped);
        Assert.Equal("c", failed.JobId);
        Assert.IsType<FirecrawlNotFoundException>(failed.Error);
        Assert.Equal("done", result.Jobs.Single(job => job.JobId == "b").Message);
    }

    [Fact]
    public async Task RunAsync_RepeatedIds_CancelsEachDistinctIdOnce()
    {
        var calls = new ConcurrentBag<string>();
        BulkCancelResult result = await Run(["a", "b", "a", "c", "b"], (id, _) =>
        {
            calls.Add(id);
            return Cancelled(id);
        });

        Assert.Equal(["a", "b", "c"], calls.Order());
        Assert.Equal(3, result.Jobs.Count);
        Assert.True(result.AllStopped);
    }

    [Fact]
    public async Task RunAsync_ANullIdInTheInput_IsHandedOnAsEmptyAndFailsThatJobAlone()
    {
        // A null from a file reader or a projection must not reach the server as anything but the empty id, which the
        // single-job cancel refuses before any request.
        var seen = new ConcurrentBag<string>();
        BulkCancelResult result = await Run(new string?[] { "a", null }!, (id, _) =>
        {
            seen.Add(id);
            return id.Length == 0 ? Task.FromException<CancelBatchScrapeResult>(new ArgumentException("empty")) : Cancelled(id);
        });

        Assert.Equal(["", "a"], seen.Order(StringComparer.Ordinal));
        Assert.IsType<ArgumentException>(Assert.Single(result.Jobs, job => !job.Stopped).Error);
    }

    [Fact]
    public async Task RunAsync_AnInvalidIdAmongGoodOnes_FailsThatJobAlone()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Delete, Stub.BatchUrl).Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        using var client = Stub.Client(mock);

        BulkCancelResult result = await client.CancelBatchScrapesAsync([Stub.JobId, "../../v1/team"]);

        Assert.Equal((1, 1), (result.Cancelled, result.Failed));
        JobCancellation bad = result.Jobs.Single(job => !job.Stopped);
        Assert.Equal("../../v1/team", bad.JobId);
        Assert.IsAssignableFrom<ArgumentException>(bad.Error);
    }

    [Fact]
    public async Task RunAsync_NeverHasMoreCallsInFlightThanTheConcurrencyLimit()
    {
        int inFlight = 0, peak = 0;
        BulkCancelResult result = await Run(Enumerable.Range(0, 60).Select(i => $"job-{i}"), async (id, token) =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(2, token);
            Interlocked.Decrement(ref inFlight);
            return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
        }, new BulkCancelOptions { MaxConcurrency = 3 });

        Assert.Equal(60, result.Cancelled);
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task RunAsync_ReadsTheInputOnlyAsWorkersBecomeFree()
    {
        int read = 0;
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        IEnumerable<string> Ids()
        {
            for (int i = 0; i < 1000; i++)
            {
                Interlocked.Increment(ref read);
                yield return $"job-{i}";
            }
        }

        int calls = 0;
        Task<BulkCancelResult> run = Run(Ids(), async (id, _) =>
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                started.TrySetResult();
            }

            await release.Task;
            return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
        }, new BulkCancelOptions { MaxConcurrency = 2 });

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref read));
        release.SetResult();

        Assert.Equal(1000, (await run).Cancelled);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_StopsNewSendsAndSaysInterrupted()
    {
        using var stop = new CancellationTokenSource();
        int calls = 0;
        BulkCancelResult result = await Run(Enumerable.Range(0, 100).Select(i => $"job-{i}"), async (id, token) =>
        {
            if (Interlocked.Increment(ref calls) == 5)
            {
                await stop.CancelAsync();
            }

            token.ThrowIfCancellationRequested();
            await Task.Yield();
            return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
        }, new BulkCancelOptions { MaxConcurrency = 1 }, cancellationToken: stop.Token);

        Assert.True(result.Interrupted);
        Assert.False(result.AllStopped);
        Assert.Equal(5, result.Jobs.Count);
        Assert.Equal(4, result.Cancelled);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Jobs[^1].Error);
    }

    [Fact]
    public async Task RunAsync_AJobEndsRateLimited_SendsItAgainInsteadOfFailingIt()
    {
        int attempts = 0;
        BulkCancelResult result = await Run(["a"], (id, _) => Interlocked.Increment(ref attempts) <= 3
            ? Task.FromException<CancelBatchScrapeResult>(new FirecrawlRateLimitException(new FirecrawlError { Message = "Rate limit exceeded" }, TimeSpan.Zero))
            : Cancelled(id));

        Assert.Equal(4, attempts);
        Assert.True(result.AllStopped);
    }

    [Fact]
    public async Task RunAsync_ServerNeverStopsRateLimiting_GivesUpOnThatJobAfterTheRequeueLimit()
    {
        int attempts = 0;
        BulkCancelResult result = await Run(["a"], (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            return Task.FromException<CancelBatchScrapeResult>(new FirecrawlRateLimitException(new FirecrawlError { Message = "Rate limit exceeded" }, null));
        });

        Assert.Equal(BulkCanceller.MaxRateLimitRetries + 1, attempts);
        Assert.IsType<FirecrawlRateLimitException>(Assert.Single(result.Jobs).Error);
    }

    [Fact]
    public async Task CancelBatchScrapesAsync_AJobRateLimitedForLongerThanACallMayWait_FailsWithTheServersAnswerNotARequeue()
    {
        using var mock = Stub.Mock();
        MockedRequest limited = mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/a")
            .Respond(HttpStatusCode.TooManyRequests, """{"success":false,"error":"Rate limit exceeded. please retry after 600s"}""");
        using var client = Stub.Client(mock);

        BulkCancelResult result = await client.CancelBatchScrapesAsync(["a"]).WaitAsync(TimeSpan.FromSeconds(20));

        // Sent again, it would only meet the gate that 429 closed for ten minutes, and fail with the gate's refusal.
        var error = Assert.IsType<FirecrawlRateLimitException>(Assert.Single(result.Jobs).Error);
        Assert.Contains("retry after 600s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no request was sent", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, mock.GetMatchCount(limited));
    }

    [Fact]
    public async Task RunAsync_AnUnexpectedException_IsNotSwallowed()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Run(["a"], (_, _) => Task.FromException<CancelBatchScrapeResult>(new InvalidOperationException("bug"))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task RunAsync_ConcurrencyOutOfRange_IsRefusedBeforeAnyCall(int concurrency)
    {
        int calls = 0;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Run(["a"], (id, _) =>
        {
            calls++;
            return Cancelled(id);
        }, new BulkCancelOptions { MaxConcurrency = concurrency }));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task RunAsync_WithProgress_ReportsEveryJobAndTicksWhileWaiting()
    {
        var time = new FakeTimeProvider();
        var reports = new ConcurrentQueue<BulkCancelProgress>();
        var release = new TaskCompletionSource();
        var progress = new SyncProgress(reports.Enqueue);

        Task<BulkCancelResult> run = Run(["a", "b"], async (id, _) =>
        {
            if (id == "b")
            {
                await release.Task;
            }

            return new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.Cancelled };
        }, new BulkCancelOptions { MaxConcurrency = 2, Progress = progress }, time);

        await WaitUntil(() => reports.Any(report => report.Last?.JobId == "a"));
        int before = reports.Count;
        time.Advance(TimeSpan.FromMilliseconds(500));
        await WaitUntil(() => reports.Count > before);
        Assert.Contains(reports, report => report.Last is null && report.Done == 1);

        release.SetResult();
        await run;
        BulkCancelProgress last = reports.Last(report => report.Last is not null);
        Assert.Equal((2, 2, 0), (last.Done, last.Cancelled, last.Failed));
    }

    [Fact]
    public async Task RunAsync_WithProgress_CountsEachKindOfEnding()
    {
        var reports = new ConcurrentQueue<BulkCancelProgress>();
        BulkCancelResult result = await Run(["a", "b", "c", "d"], (id, _) => id switch
        {
            "b" => Task.FromResult(new CancelBatchScrapeResult { JobId = id, Outcome = CancelOutcome.AlreadyCompleted }),
            "c" or "d" => Task.FromException<CancelBatchScrapeResult>(new FirecrawlNotFoundException(NotFound)),
            _ => Cancelled(id),
        }, new BulkCancelOptions { MaxConcurrency = 1, Progress = new SyncProgress(reports.Enqueue) });

        BulkCancelProgress last = reports.Last(report => report.Last is not null);
        Assert.Equal((4, 1, 1, 2), (last.Done, last.Cancelled, last.AlreadyCompleted, last.Failed));
        Assert.Equal((1, 1, 2), (result.Cancelled, result.AlreadyCompleted, result.Failed));
    }

    [Fact]
    public async Task RunAsync_NullIds_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Run(null!, (id, _) => Cancelled(id)));
        Assert.Throws<ArgumentNullException>(() => new BulkCancelResult(null!, interrupted: false));
    }

    [Fact]
    public async Task RunAsync_AnOperationCanceledExceptionTheCallerDidNotAskFor_IsNotSwallowedAsAJobFailure()
    {
        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            Run(["a"], (_, _) => Task.FromException<CancelBatchScrapeResult>(new OperationCanceledException("not the caller's"))));
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_ReadsTheServerList()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK, """
            {"success":true,"crawls":[
              {"id":"c1","teamId":"bypass","url":"https://example.com","created_at":"2026-11-28T18:00:00.000Z","options":{"limit":10}},
              {"id":"c2","unknown":[1,2]}]}
            """);
        using var client = Stub.Client(mock);

        IReadOnlyList<ActiveCrawl> crawls = await client.GetActiveCrawlsAsync();

        Assert.Equal(["c1", "c2"], crawls.Select(crawl => crawl.Id));
        Assert.Equal("https://example.com", crawls[0].Url);
        Assert.Equal("bypass", crawls[0].TeamId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 18, 0, 0, TimeSpan.Zero), crawls[0].CreatedAt);
        Assert.Equal(10, crawls[0].Options!.Value.GetProperty("limit").GetInt32());
        Assert.Null(crawls[1].Url);
        Assert.Null(crawls[1].Options);
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_OnV2_UsesTheV2Route()
    {
        using var mock = Stub.Mock();
        mock.Expect(HttpMethod.Get, Stub.Base + "/v2/crawl/active").Respond(HttpStatusCode.OK, """{"success":true,"crawls":[{"id":"c1"}]}""");
        using var client = Stub.Client(mock, options => options.ApiVersion = FirecrawlApiVersion.V2);

        Assert.Equal("c1", Assert.Single(await client.GetActiveCrawlsAsync()).Id);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_UnreadableList_MessageNamesTheOperationAndRoute()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK, """{"success":true,"crawls":[{"url":"u"}]}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetActiveCrawlsAsync());

        Assert.StartsWith("Listing active crawls (GET /v1/crawl/active) failed: the server answered 200 but its body is not a list of active crawls", error.Message, StringComparison.Ordinal);
        Assert.Equal("A listed crawl has no 'id'.", error.InnerException!.Message);
    }

    [Theory]
    [InlineData("""{"success":true}""", "An active-crawls answer is an object with a 'crawls' array.")]
    [InlineData("""{"success":true,"crawls":{}}""", "An active-crawls answer is an object with a 'crawls' array.")]
    [InlineData("""{"success":true,"crawls":[{"url":"https://example.com"}]}""", "A listed crawl has no 'id'.")]
    [InlineData("""[]""", "An active-crawls answer is an object with a 'crawls' array.")]
    public async Task GetActiveCrawlsAsync_ABodyThatIsNotAList_IsATypedErrorNotAnEmptyList(string body, string why)
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK, body);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetActiveCrawlsAsync());

        Assert.Contains("not a list of active crawls", error.Message, StringComparison.Ordinal);
        Assert.Equal(why, Assert.IsType<JsonException>(error.InnerException).Message);
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_AListOverTheBound_IsRefusedNotCut()
    {
        using var mock = Stub.Mock();
        string huge = "{\"success\":true,\"crawls\":[{\"id\":\"c1\",\"url\":\"" + new string('x', 16 * 1024 * 1024) + "\"}]}";
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK, "application/json", huge);
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetActiveCrawlsAsync());

        Assert.EndsWith($"the server answered 200 with a body over {16 * 1024 * 1024} bytes, which is more than the client reads.", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.True(error.Error.RawBodyTruncated);
    }

    [Fact]
    public async Task CancelActiveCrawlsAsync_CancelsEveryListedCrawl()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active")
            .Respond(HttpStatusCode.OK, """{"success":true,"crawls":[{"id":"c1"},{"id":"c2"},{"id":"c1"}]}""");
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/c1").Respond(HttpStatusCode.OK, """{"status":"cancelled"}""");
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/crawl/c2")
            .Respond(HttpStatusCode.OK, """{"status":"cancelled","message":"Crawl is already completed"}""");
        using var client = Stub.Client(mock);

        BulkCancelResult result = await client.CancelActiveCrawlsAsync();

        Assert.Equal(2, result.Jobs.Count);
        Assert.True(result.AllStopped);
        Assert.Equal(2, result.Cancelled + result.AlreadyCompleted);
    }

    [Fact]
    public async Task CancelActiveCrawlsAsync_ListFails_ThrowsAndCancelsNothing()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active")
            .Respond(HttpStatusCode.Unauthorized, """{"success":false,"error":"Unauthorized: Invalid token"}""");
        using var client = Stub.Client(mock);

        await Assert.ThrowsAsync<FirecrawlUnauthorizedException>(() => client.CancelActiveCrawlsAsync());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so the test sees every report in order.</summary>
    [Fact]
    public async Task GetActiveCrawlsAsync_ACrawlIdHoldingTheKey_IsRefusedAsUnreadableAndTheKeyIsNotShown()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK,
            $$"""{"success":true,"crawls":[{"id":"{{Stub.JobId}}","url":"https://example.com"},{"id":"stolen-{{Stub.SecretKey}}","url":"https://example.com"}]}""");
        using var client = Stub.Client(mock);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.GetActiveCrawlsAsync());

        Assert.Contains("holds this client's API key", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Stub.SecretKey, error.Error.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetActiveCrawlsAsync_UrlOrTeamHoldingTheKey_IsMasked()
    {
        using var mock = Stub.Mock();
        mock.When(HttpMethod.Get, Stub.Base + "/v1/crawl/active").Respond(HttpStatusCode.OK,
            $$"""{"success":true,"crawls":[{"id":"{{Stub.JobId}}","teamId":"team {{Stub.SecretKey}}","url":"https://example.com/?k={{Stub.SecretKey}}"}]}""");
        using var client = Stub.Client(mock);

        ActiveCrawl crawl = Assert.Single(await client.GetActiveCrawlsAsync());

        Assert.Equal(Stub.JobId, crawl.Id);
        Assert.Equal("https://example.com/?k=[REDACTED]", crawl.Url);
        Assert.Equal("team [REDACTED]", crawl.TeamId);
    }

    private sealed class SyncProgress(Action<BulkCancelProgress> report) : IProgress<BulkCancelProgress>
    {
        public void Report(BulkCancelProgress value) => report(value);
    }
}
