using Firecrawl.Client.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>
/// Bulk cancel end to end, against the emulator's limiter: every job stops, none fails because of the limit, and the
/// client does not hammer a closed window. The pace itself is measured in the benchmarks (docs/performance.md).
/// </summary>
public sealed class BulkCancelTests
{
    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelBatchScrapesAsync_UnderATeamLimit_StopsEveryJobAndDraws429sInTheFirstWindowOnly(string path, FirecrawlServerProfile profile)
    {
        const int Jobs = 24, Limit = 8, Concurrency = 4;
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions
        {
            Profile = profile,
            RateLimitPerWindow = Limit,
            RateLimitWindow = TimeSpan.FromSeconds(1),
        });
        string[] ids = Enumerable.Range(0, Jobs).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
        emulator.CompleteJob(ids[0]);
        using Clients clients = Clients.For(emulator, path);

        BulkCancelResult result = await clients.Client.CancelBatchScrapesAsync(ids.Append(ids[1]), new BulkCancelOptions { MaxConcurrency = Concurrency });

        Assert.True(result.AllStopped, string.Join("; ", result.Jobs.Where(job => !job.Stopped).Select(job => job.Error?.Message)));
        Assert.Equal(Jobs, result.Jobs.Count);
        Assert.Equal(Jobs, result.Cancelled + result.AlreadyCompleted);

        // The self-hosted server answers a finished job's cancel like any other; only the newer cloud says 409.
        Assert.Equal(profile == FirecrawlServerProfile.NewerCloud ? 1 : 0, result.AlreadyCompleted);
        Assert.All(ids.Skip(1), id => Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id)));

        // Which window each 429 fell in, by the emulator's own record: the server counts every request of a window, so
        // the first window ends with its 8th answer that was not a refusal, and the 9th such answer opens the second
        // (the client waits out the first's reset before it). A 429 of a later window arrives after that one.
        RecordedRequest[] requests = [.. emulator.Requests.OrderBy(request => request.ReceivedAt)];
        Assert.All(requests, request => Assert.NotNull(request.StatusCode));
        RecordedRequest secondWindowsFirst = requests.Where(request => request.StatusCode != 429).ElementAt(Limit);
        Assert.All(
            requests.Where(request => request.StatusCode == 429),
            refused => Assert.True(
                refused.ReceivedAt < secondWindowsFirst.ReceivedAt,
                $"a 429 at {refused.ReceivedAt:HH:mm:ss.fff}, after the second window opened at {secondWindowsFirst.ReceivedAt:HH:mm:ss.fff}"));

        // The first window overflows (24 jobs, 8 per window), and each worker in flight then meets its 429: that teaches
        // the pace, and the later windows are filled to the limit and held, drawing none.
        Assert.InRange(emulator.CountResponses(429), 1, Concurrency);
    }

    [Theory]
    [MemberData(nameof(Clients.PathsAndProfiles), MemberType = typeof(Clients))]
    public async Task CancelActiveCrawlsAsync_StopsEveryRunningCrawlOfTheTeamAndNothingElse(string path, FirecrawlServerProfile profile)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { Profile = profile });
        string[] crawls = [emulator.CreateCrawlJob(), emulator.CreateCrawlJob(), emulator.CreateCrawlJob()];
        string batch = emulator.CreateBatchScrapeJob();
        string otherTeams = emulator.CreateCrawlJob(FirecrawlEmulator.NewApiKey());
        using Clients clients = Clients.For(emulator, path);

        IReadOnlyList<ActiveCrawl> before = await clients.Client.GetActiveCrawlsAsync();
        BulkCancelResult result = await clients.Client.CancelActiveCrawlsAsync();

        Assert.Equal(crawls.Order(), before.Select(crawl => crawl.Id).Order());
        Assert.Equal(3, result.Cancelled);
        Assert.Empty(await clients.Client.GetActiveCrawlsAsync());
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(batch));
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(otherTeams));
    }
}
