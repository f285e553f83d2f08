using System.Diagnostics;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.IntegrationTests;

public sealed class EmulatorLifecycleTests
{
    [Fact]
    public async Task DisposeAsync_RequestStillInFlight_StopsAtOnceInsteadOfWaitingForIt()
    {
        FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(5)));
        using FirecrawlClient client = emulator.CreateClient(o => o.MaxRetries = 0);
        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(id);
        while (emulator.Requests.Count == 0)
        {
            await Task.Delay(10);
        }

        var clock = Stopwatch.StartNew();
        await emulator.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        // The answer was five minutes away; stopping well before it means the request was aborted, not waited for.
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"DisposeAsync took {clock.Elapsed}.");
        await Assert.ThrowsAnyAsync<FirecrawlException>(() => call.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData("fc-short")]
    [InlineData("fc-0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public async Task StartAsync_KeyTheRealServerCouldNeverAccept_IsRefusedWithoutEchoingIt(string key)
    {
        var options = new FirecrawlEmulatorOptions();
        options.ApiKeys.Add(key);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FirecrawlEmulator.StartAsync(options));

        Assert.Contains("'fc-' followed by 32 hex digits", error.Message, StringComparison.Ordinal);
        Assert.Contains("NewApiKey()", error.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NewApiKey_HasTheRealFormAndIsNewEachTime()
    {
        string key = FirecrawlEmulator.NewApiKey();

        Assert.Matches("^fc-[0-9a-f]{32}$", key);
        Assert.NotEqual(key, FirecrawlEmulator.NewApiKey());
    }
}
