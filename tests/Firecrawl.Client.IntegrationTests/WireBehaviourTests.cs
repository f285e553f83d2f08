using System.Diagnostics;
using System.Net;
using Firecrawl.Client.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>Tests that measure real time or load the machine run alone, so other tests cannot skew them.</summary>
[CollectionDefinition(nameof(WireBehaviourTests), DisableParallelization = true)]
public sealed class WireBehaviourTestsDefinition;

[Collection(nameof(WireBehaviourTests))]
public sealed class WireBehaviourTests
{
    [Fact]
    public async Task CancelBatchScrapeAsync_ServerClosedIdleKeepAliveConnection_NextCallSucceedsWithoutARetry()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(new FirecrawlEmulatorOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        string first = emulator.CreateBatchScrapeJob();
        string second = emulator.CreateBatchScrapeJob();
        using FirecrawlClient client = emulator.CreateClient();

        await client.CancelBatchScrapeAsync(first);
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        CancelBatchScrapeResult result = await client.CancelBatchScrapeAsync(second);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(2, emulator.Requests.Count);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ThousandCancelsAtConcurrency100_AllSucceedOnReusedSockets()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] ids = Enumerable.Range(0, 1000).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
        using FirecrawlClient client = emulator.CreateClient();

        var outcomes = new CancelOutcome[ids.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ids.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 100 },
            async (i, ct) => outcomes[i] = (await client.CancelBatchScrapeAsync(ids[i], ct)).Outcome);

        Assert.All(outcomes, outcome => Assert.Equal(CancelOutcome.Cancelled, outcome));
        IReadOnlyList<RecordedRequest> requests = emulator.Requests;
        Assert.Equal(1000, requests.Count);
        int connections = requests.Select(r => r.ConnectionId).Distinct().Count();
        Assert.InRange(connections, 1, 110);
    }

    public static TheoryData<string> Paths => Clients.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CancelBatchScrapeAsync_NinetyNineCallsAfterA429_AllWaitAtTheGateAndNoneEarnsAnother429(string path)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string[] ids = Enumerable.Range(0, 100).Select(_ => emulator.CreateBatchScrapeJob()).ToArray();
        var signal = new RetrySignal();
        using Clients clients = Clients.For(emulator, path, o => o.LoggerFactory = signal);

        // Every request in the next 1.5 s is refused with "retry after 2s". The first call hears it, closes the gate for
        // 2 s from the moment it heard it (after the window opened), and logs its retry.
        emulator.Faults.RateLimitEverythingFor(TimeSpan.FromSeconds(1.5), retryAfterSeconds: 2);
        Task<CancelBatchScrapeResult> first = clients.ForOneCall().CancelBatchScrapeAsync(ids[0]);
        await signal.FirstRetry.WaitAsync(TimeSpan.FromSeconds(30));

        // On the DI path every call resolves the client again: the gate belongs to the registration.
        CancelBatchScrapeResult[] results = await Task.WhenAll(
            ids.Skip(1).Select(id => clients.ForOneCall().CancelBatchScrapeAsync(id)).Append(first));

        Assert.All(results, result => Assert.Equal(CancelOutcome.Cancelled, result.Outcome));
        Assert.Equal(1, emulator.CountResponses(429));
        Assert.Equal(100, emulator.CountResponses(200));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CallerCancelsWhileServerIsSlow_ReturnsPromptlyAndReleasesTheConnection()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.DelayBeforeHeaders(TimeSpan.FromMinutes(1)));
        using FirecrawlClient client = emulator.CreateClient();
        using var cts = new CancellationTokenSource();

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(id, cts.Token);
        await WaitUntil(() => emulator.Requests.Count == 1);
        await cts.CancelAsync();

        // The server would answer in a minute; ending well before that is what "prompt" means here, on any machine.
        Exception? error = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        await WaitUntil(() => emulator.AbortedRequestCount == 1, () => $"aborted {emulator.AbortedRequestCount}, requests {emulator.Requests.Count}, sockets {Sockets(emulator.BaseAddress.Port)}");
        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(id)).Outcome);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_CallerCancelsDuringBackOff_ReturnsPromptly()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(503));
        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMinutes(5);
            o.RetryMaxDelay = TimeSpan.FromMinutes(5);
            o.TotalTimeout = TimeSpan.FromMinutes(10);
        });
        using var cts = new CancellationTokenSource();

        Task<CancelBatchScrapeResult> call = client.CancelBatchScrapeAsync(id, cts.Token);
        await WaitUntil(() => emulator.CountResponses(503) == 1);
        await cts.CancelAsync();

        // The back-off is at least 2.5 minutes; ending well before it means the wait itself was cancelled.
        Exception? error = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Single(emulator.Requests);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_HostileGigabyteErrorBody_ReadsOnlyABoundedPrefix()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.OversizedBody(1L << 30, statusCode: 500));
        using FirecrawlClient client = emulator.CreateClient(o => o.MaxRetries = 0);
        await client.CancelBatchScrapeAsync(emulator.CreateBatchScrapeJob());

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(id));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(error.Error.RawBodyTruncated);
        Assert.True(allocated < 32L * 1024 * 1024, $"Reading a 1 GiB error body allocated {allocated:N0} bytes.");
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_HostileGigabyteSuccessBody_RefusedWithoutReadingIt()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.OversizedBody(1L << 30, statusCode: 200));
        using FirecrawlClient client = emulator.CreateClient(o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(id));

        Assert.Contains("65536 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, error.StatusCode);
        Assert.True(error.Error.RawBodyTruncated);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task CancelBatchScrapeAsync_RedirectToAnotherOrigin_NotFollowedSoTheKeyNeverLeaves(int status)
    {
        var options = new FirecrawlEmulatorOptions();
        string key = FirecrawlEmulator.NewApiKey();
        options.ApiKeys.Add(key);
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync(options);
        await using FirecrawlEmulator attacker = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.Redirect(new Uri(attacker.BaseAddress, $"v1/batch/scrape/{id}"), status));
        var services = new ServiceCollection();
        services.AddFirecrawlClient(o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.ApiKey = key;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        using FirecrawlClient plain = emulator.CreateClient();

        foreach (FirecrawlClient client in new[] { plain, provider.GetRequiredService<FirecrawlClient>() })
        {
            var error = await Assert.ThrowsAsync<FirecrawlApiException>(() => client.CancelBatchScrapeAsync(id));
            Assert.Equal((HttpStatusCode)status, error.StatusCode);
            Assert.Contains(attacker.BaseAddress.Authority, error.Error.Message, StringComparison.Ordinal);
            emulator.Faults.Enqueue(EmulatorFault.Redirect(new Uri(attacker.BaseAddress, $"v1/batch/scrape/{id}"), status));
        }

        Assert.Empty(attacker.Requests);
        Assert.Equal(EmulatedJobStatus.Scraping, emulator.GetJobStatus(id));
    }

    /// <summary>
    /// Waits for something that must happen, not for something that must happen fast: the limit only stops a test that
    /// would otherwise hang, so it is generous (a loaded two-core machine once took over 10 s to see a client go away).
    /// </summary>
    private static async Task WaitUntil(Func<bool> condition, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The condition never came true. " + state?.Invoke());
            await Task.Delay(10);
        }
    }

    /// <summary>The TCP sockets on this machine with <paramref name="port"/> at either end, as local:remote state (Linux).</summary>
    private static string Sockets(int port)
    {
        string hex = port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var found = new List<string>();
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 3 && (f[1].EndsWith(":" + hex, StringComparison.Ordinal) || f[2].EndsWith(":" + hex, StringComparison.Ordinal)))
                {
                    found.Add($"{f[1][^4..]}->{f[2][^4..]} st{f[3]}");
                }
            }
        }

        return string.Join(", ", found);
    }
}
