using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Whenever the caller's token ends a call, of any operation, at any stage, the exception carries that token, so the
/// idiom <c>catch (OperationCanceledException e) when (e.CancellationToken == token)</c> sees it; on the plain and DI
/// paths alike.
/// </summary>
public sealed class CallerCancellationTests
{
    private const string ActiveUrl = Stub.Base + "/v1/crawl/active";

    public static TheoryData<string, string, string> Cases()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (string stage in new[] { "before-send", "at-gate", "in-flight", "mid-body", "in-back-off" })
        {
            foreach (string operation in new[] { "batch-scrape", "crawl", "active-crawls" })
            {
                foreach (string path in new[] { "plain", "di" })
                {
                    rows.Add(stage, operation, path);
                }
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnyOperation_CallerCancelsAtAnyStage_ExceptionCarriesTheCallersToken(string stage, string operation, string path)
    {
        var time = new WatchedFakeTime();
        using var mock = Stub.Mock();
        (HttpMethod method, string url) = operation switch
        {
            "batch-scrape" => (HttpMethod.Delete, Stub.BatchUrl),
            "crawl" => (HttpMethod.Delete, Stub.CrawlUrl),
            _ => (HttpMethod.Get, ActiveUrl),
        };
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TimeSpan? dueAt = null;
        switch (stage)
        {
            case "at-gate":
                // Another call's 429 closes the gate for 30.5 s; the call under test then waits there.
                mock.Expect(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/other").Respond(HttpStatusCode.TooManyRequests, """{"error":"please retry after 30s"}""");
                dueAt = TimeSpan.FromSeconds(30.5);
                break;
            case "in-flight":
                var hanging = new HangingHandler();
                mock.When(method, url).Respond(hanging);
                _ = hanging.Reached.ContinueWith(_ => reached.TrySetResult(), TaskScheduler.Default);
                break;
            case "mid-body":
                mock.When(method, url).Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(reached)) });
                break;
            case "in-back-off":
                // A 503, then a back-off of half of 10 minutes (no jitter).
                mock.When(method, url).Respond(HttpStatusCode.ServiceUnavailable, "{}");
                dueAt = TimeSpan.FromMinutes(5);
                break;
        }

        void Configure(FirecrawlClientOptions o)
        {
            o.ApiKey = Stub.SecretKey;
            o.BaseAddress = new Uri(Stub.Base);
            o.TimeProvider = time;
            o.RetryBaseDelay = TimeSpan.FromMinutes(10);
            o.RetryMaxDelay = TimeSpan.FromMinutes(10);
            o.TotalTimeout = TimeSpan.FromMinutes(20);
            o.MaxRetries = stage == "at-gate" ? 0 : 3;
        }

        using var plain = new FirecrawlClient(Stub.Options(Configure), mock);
        var services = new ServiceCollection();
        services.AddFirecrawlClient(o =>
        {
            Configure(o);
            o.Jitter = static () => 0;
        }).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using ServiceProvider provider = services.BuildServiceProvider();
        FirecrawlClient client = path == "plain" ? plain : provider.GetRequiredService<FirecrawlClient>();

        if (stage == "at-gate")
        {
            await Assert.ThrowsAsync<FirecrawlRateLimitException>(() => client.CancelBatchScrapeAsync("other"));
        }

        using var cts = new CancellationTokenSource();
        if (stage == "before-send")
        {
            await cts.CancelAsync();
        }

        Task call = operation switch
        {
            "batch-scrape" => client.CancelBatchScrapeAsync(Stub.JobId, cts.Token),
            "crawl" => client.CancelCrawlAsync(Stub.JobId, cts.Token),
            _ => client.GetActiveCrawlsAsync(cts.Token),
        };
        if (dueAt is { } due)
        {
            await time.WaitForTimerDueAtAsync(due);
        }
        else if (stage != "before-send")
        {
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        await cts.CancelAsync();
        Exception? error = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(20)));

        OperationCanceledException cancelled = Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(cts.Token, cancelled.CancellationToken);
        Assert.DoesNotContain(Stub.SecretKey, cancelled.ToString(), StringComparison.Ordinal);
        if (stage is "in-flight" or "mid-body")
        {
            // The transport's own cancellation is re-thrown as the caller's, saying which call stopped and why.
            Assert.EndsWith("the caller's CancellationToken was cancelled.", cancelled.Message, StringComparison.Ordinal);
            Assert.Contains(operation == "active-crawls" ? "active crawls" : Stub.JobId, cancelled.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CancelBatchScrapesAsync_CallerCancels_ReportsAnInterruptedRunAsBefore()
    {
        using var mock = Stub.Mock();
        var hanging = new HangingHandler();
        mock.When(HttpMethod.Delete, Stub.Base + "/v1/batch/scrape/*").Respond(hanging);
        using var client = Stub.Client(mock);
        using var cts = new CancellationTokenSource();

        Task<BulkCancelResult> run = client.CancelBatchScrapesAsync(["a", "b", "c"], new BulkCancelOptions { MaxConcurrency = 1 }, cts.Token);
        await hanging.Reached.WaitAsync(TimeSpan.FromSeconds(20));
        await cts.CancelAsync();
        BulkCancelResult result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Interrupted);
        JobCancellation only = Assert.Single(result.Jobs);
        Assert.Equal(cts.Token, Assert.IsAssignableFrom<OperationCanceledException>(only.Error).CancellationToken);
    }

    /// <summary>Sends half a cancel body, then stalls until the read is cancelled.</summary>
    private sealed class StallingStream(TaskCompletionSource reached) : Stream
    {
        private readonly byte[] _half = "{\"status\":\""u8.ToArray();
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < _half.Length)
            {
                int count = Math.Min(buffer.Length, _half.Length - _position);
                _half.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            reached.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Async only.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
