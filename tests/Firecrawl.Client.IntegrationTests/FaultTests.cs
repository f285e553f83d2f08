using System.Diagnostics;
using System.Net;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>Failures that only happen on a real wire, injected by the emulator and survived by the client.</summary>
public sealed class FaultTests
{
    public static TheoryData<string, string> TransientFaults()
    {
        var data = new TheoryData<string, string>();
        foreach (string path in new[] { Clients.Plain, Clients.Injected })
        {
            foreach (string fault in new[] { "drop", "stall", "truncate", "html502", "delay", "503", "retry-after" })
            {
                data.Add(path, fault);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task CancelBatchScrapeAsync_TransientWireFault_RetriedThenCancelled(string path, string fault)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, Fault(fault));
        // Only a fault that never answers needs a short attempt limit; the other faults keep the default, so a slow
        // machine cannot turn the healthy second attempt into a third one. Two seconds is far below the 30-second hang.
        bool hangs = fault is "stall" or "delay";
        using Clients clients = Clients.For(emulator, path, o => o.AttemptTimeout = hangs ? TimeSpan.FromSeconds(2) : o.AttemptTimeout);

        CancelBatchScrapeResult result = await clients.Client.CancelBatchScrapeAsync(id);

        Assert.Equal(CancelOutcome.Cancelled, result.Outcome);
        Assert.Equal(2, emulator.Requests.Count);
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_StatusSequence503Then503_SucceedsOnTheThirdAttempt()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.Status(503), EmulatorFault.Status(503));
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(10));

        Assert.Equal(CancelOutcome.Cancelled, (await client.CancelBatchScrapeAsync(id)).Outcome);
        Assert.Equal(3, emulator.Requests.Count);
        Assert.Equal(2, emulator.CountResponses(503));
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_RetryAfterHeader_WaitsAtLeastThatLong()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.RetryAfter(503, TimeSpan.FromSeconds(1)));
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.Zero);

        await client.CancelBatchScrapeAsync(id);

        IReadOnlyList<RecordedRequest> requests = emulator.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95), "The client must honour Retry-After.");
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_RealRateLimitBody_WaitsForTheHintInTheMessage()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.Enqueue(EmulatorFault.RateLimited(1));
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.Zero);

        await client.CancelBatchScrapeAsync(id);

        IReadOnlyList<RecordedRequest> requests = emulator.Requests;
        Assert.Equal(1, emulator.CountResponses(429));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95), "The client must honour 'retry after 1s'.");
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ServerStallsForever_TimesOutWithinTheTotalBudget()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        for (int i = 0; i < 50; i++)
        {
            emulator.Faults.EnqueueForJob(id, EmulatorFault.StallMidBody(TimeSpan.FromMinutes(1)));
        }

        using FirecrawlClient client = emulator.CreateClient(o =>
        {
            o.MaxRetries = 20;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
        });
        var clock = Stopwatch.StartNew();

        // Each stall lasts a minute; ending well before one would is what "within the budget" means on any machine.
        var error = await Assert.ThrowsAsync<FirecrawlTimeoutException>(() => client.CancelBatchScrapeAsync(id).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"The budget is 2 s, but the call gave up after {clock.Elapsed}.");
        Assert.True(emulator.Requests.Count > 2, "Stalled attempts must have been retried before the budget ran out.");
        // The server did cancel; only its answers were lost. This is why re-sending the DELETE is safe.
        Assert.Equal(EmulatedJobStatus.Cancelled, emulator.GetJobStatus(id));
        Assert.Contains("2 s limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_GatewayNeverRecovers_ThrowsServerExceptionAfterAllAttempts()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, Enumerable.Range(0, 10).Select(_ => EmulatorFault.HtmlError(502)).ToArray());
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(10));

        var error = await Assert.ThrowsAsync<FirecrawlServerException>(() => client.CancelBatchScrapeAsync(id));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Contains("non-JSON body (text/html)", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal(4, emulator.Requests.Count);
    }

    [Fact]
    public async Task CancelBatchScrapeAsync_ConnectionAlwaysDropped_ThrowsFirecrawlExceptionWithTheCause()
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, Enumerable.Range(0, 10).Select(_ => EmulatorFault.DropConnection()).ToArray());
        using FirecrawlClient client = emulator.CreateClient(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(10));

        var error = await Assert.ThrowsAsync<FirecrawlException>(() => client.CancelBatchScrapeAsync(id));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
    }

    private static EmulatorFault Fault(string name) => name switch
    {
        "drop" => EmulatorFault.DropConnection(),
        "stall" => EmulatorFault.StallMidBody(TimeSpan.FromSeconds(30)),
        "truncate" => EmulatorFault.TruncatedBody(),
        "html502" => EmulatorFault.HtmlError(502),
        "delay" => EmulatorFault.DelayBeforeHeaders(TimeSpan.FromSeconds(30)),
        "503" => EmulatorFault.Status(503),
        "retry-after" => EmulatorFault.RetryAfter(503, TimeSpan.FromMilliseconds(100)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
