using System.Diagnostics;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.IntegrationTests;

/// <summary>HttpClient's own per-attempt spans nest under the client's one activity per call, over real sockets.</summary>
[Collection(nameof(WireBehaviourTests))]
public sealed class HttpSpanTests
{
    public static TheoryData<string> Paths => Clients.Paths;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task CancelBatchScrapeAsync_WithTracing_EachAttemptsHttpSpanIsAChildOfTheCallsActivity(string path)
    {
        await using FirecrawlEmulator emulator = await FirecrawlEmulator.StartAsync();
        string id = emulator.CreateBatchScrapeJob();
        emulator.Faults.EnqueueForJob(id, EmulatorFault.Status(503));
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is "Firecrawl.Client" or "System.Net.Http",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using Clients clients = Clients.For(emulator, path);

        await clients.ForOneCall().CancelBatchScrapeAsync(id);

        Activity call;
        Activity[] attempts;
        lock (stopped)
        {
            call = Assert.Single(stopped, a => a.OperationName == "Firecrawl.CancelBatchScrape" && Equals(a.GetTagItem("firecrawl.job_id"), id));
            attempts = [.. stopped.Where(a => a.Source.Name == "System.Net.Http" && a.ParentSpanId == call.SpanId)];
        }

        Assert.Equal(2, attempts.Length);
        Assert.All(attempts, attempt => Assert.Equal(call.TraceId, attempt.TraceId));
    }
}
