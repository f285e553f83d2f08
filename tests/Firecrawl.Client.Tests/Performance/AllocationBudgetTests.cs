using Firecrawl.Client.Benchmarks;

namespace Firecrawl.Client.Tests;

/// <summary>
/// Guards the bytes the SDK adds per call over a hand-written HttpClient call. In memory every await completes
/// synchronously on this thread, so the per-thread allocation counter around a warmed-up call is exact, not a
/// timing: this test is deterministic on a noisy machine. Debug builds keep async state machines on the heap, so their
/// byte counts say nothing about what ships: the project compiles this file only in Release.
/// </summary>
public sealed class AllocationBudgetTests
{
    private const long BudgetBytes = 512;
    private static readonly Uri Base = new("https://firecrawl.test/");

    [Fact]
    public void CancelBatchScrapeAsync_SuccessPath_AllocatesAtMost512BytesMoreThanTheFloor()
    {
        using var transport = new CannedHandler();
        using var floor = new FloorClient(Base, Stub.SecretKey, transport);
        using var sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = Base, ApiKey = Stub.SecretKey }, transport);

        long floorBytes = Measure(() => floor.CancelBatchScrapeAsync(Stub.JobId));
        long sdkBytes = Measure(() => sdk.CancelBatchScrapeAsync(Stub.JobId));

        Assert.True(
            sdkBytes - floorBytes <= BudgetBytes,
            $"The SDK allocates {sdkBytes} bytes per call, the floor {floorBytes}: {sdkBytes - floorBytes} extra, over the {BudgetBytes}-byte budget.");
    }

    private static long Measure<T>(Func<Task<T>> call)
    {
        for (int i = 0; i < 50; i++)
        {
            Complete(call());
        }

        long best = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Task<T> task = call();
            long after = GC.GetAllocatedBytesForCurrentThread();
            Complete(task);
            best = Math.Min(best, after - before);
        }

        return best;
    }

    private static void Complete<T>(Task<T> task)
    {
        // If a call ever went asynchronous, another thread's allocations would be missed: fail loudly instead.
        Assert.True(task.IsCompletedSuccessfully, "An in-memory call must complete synchronously for the count to be exact.");
        task.GetAwaiter().GetResult();
    }
}
