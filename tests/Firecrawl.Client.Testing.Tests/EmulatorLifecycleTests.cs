using System.Diagnostics;

namespace Firecrawl.Client.Testing.Tests;

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

        // The answer is five minutes away. A dispose that waited for the request would still be running at the bound;
        // one that aborts it ends in milliseconds, so 15 s leaves a loaded machine room and still tells the two apart.
        var clock = Stopwatch.StartNew();
        Task disposed = emulator.DisposeAsync().AsTask();
        Task first = await Task.WhenAny(disposed, Task.Delay(TimeSpan.FromSeconds(15)));

        Assert.True(first == disposed, $"DisposeAsync was still waiting for the request in flight after {clock.Elapsed}.");
        await disposed;
        await Assert.ThrowsAnyAsync<FirecrawlException>(() => call.WaitAsync(TimeSpan.FromSeconds(15)));
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
