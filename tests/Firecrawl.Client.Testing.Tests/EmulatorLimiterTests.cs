using Firecrawl.Client.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Firecrawl.Client.Testing.Tests;

/// <summary>The emulator's limiter, as the server's: per team and per mode, a fixed window, a rounded hint.</summary>
public sealed class EmulatorLimiterTests
{
    [Fact]
    public async Task Limiter_HintIsRoundedToTheNearestSecondLikeTheServers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 41, 54, TimeSpan.Zero));
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RateLimitPerWindow = 1, TimeProvider = time });
        string id = emulator.CreateBatchScrapeJob();

        await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);
        time.Advance(TimeSpan.FromMilliseconds(1_686));
        RawResponse limited = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);

        // 58,314 ms before the window reopens: named as 58 s, and the reset shown in whole seconds.
        Assert.Equal(429, limited.Status);
        Assert.Equal(
            """{"success":false,"error":"Rate limit exceeded. Consumed (req/min): 2, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 58s, resets at Sun Nov 29 2026 03:42:54 GMT+0000 (Coordinated Universal Time)"}""",
            limited.Text);
    }

    [Fact]
    public async Task Limiter_WindowReopensAfterItsLengthFromTheFirstRequest()
    {
        var time = new FakeTimeProvider();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RateLimitPerWindow = 1, TimeProvider = time });
        string id = emulator.CreateBatchScrapeJob();

        Assert.Equal(200, (await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id)).Status);
        time.Advance(TimeSpan.FromSeconds(59.999));
        Assert.Equal(429, (await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id)).Status);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(200, (await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id)).Status);
    }

    [Fact]
    public async Task Requests_RecordTheStatusEachWasAnswered_SoATestCanTellWhichWereRefused()
    {
        var time = new FakeTimeProvider();
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { RateLimitPerWindow = 2, TimeProvider = time });
        string id = emulator.CreateBatchScrapeJob();

        await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);
        await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + Guid.NewGuid());
        await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + id);

        Assert.Equal([200, 404, 429], emulator.Requests.Select(request => request.StatusCode));
    }

    [Fact]
    public async Task Limiter_CreatesHaveABucketOfTheirOwn()
    {
        var options = new FirecrawlEmulatorOptions { CreateRateLimitPerWindow = 1, TimeProvider = new FakeTimeProvider() };
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        (string, string)[] json = [("Content-Type", "application/json")];

        RawResponse first = await RawHttp.SendAsync(emulator.BaseAddress, "POST", "/v1/batch/scrape", json, """{"urls":["https://example.com"]}""");
        RawResponse second = await RawHttp.SendAsync(emulator.BaseAddress, "POST", "/v1/batch/scrape", json, """{"urls":["https://example.com"]}""");
        RawResponse cancel = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + emulator.CreateBatchScrapeJob());

        Assert.Equal(200, first.Status);
        Assert.Equal(429, second.Status);
        Assert.Equal(200, cancel.Status);
    }

    [Fact]
    public async Task Limiter_TeamsAreCountedApart()
    {
        string a = FirecrawlEmulator.NewApiKey();
        string b = FirecrawlEmulator.NewApiKey();
        var options = new FirecrawlEmulatorOptions { RateLimitPerWindow = 1, TimeProvider = new FakeTimeProvider() };
        options.ApiKeys.Add(a);
        options.ApiKeys.Add(b);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);

        RawResponse firstA = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + emulator.CreateBatchScrapeJob(a), [("Authorization", "Bearer " + a)]);
        RawResponse secondA = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + emulator.CreateBatchScrapeJob(a), [("Authorization", "Bearer " + a)]);
        RawResponse firstB = await RawHttp.SendAsync(emulator.BaseAddress, "DELETE", "/v1/batch/scrape/" + emulator.CreateBatchScrapeJob(b), [("Authorization", "Bearer " + b)]);

        Assert.Equal([200, 429, 200], [firstA.Status, secondA.Status, firstB.Status]);
    }
}
