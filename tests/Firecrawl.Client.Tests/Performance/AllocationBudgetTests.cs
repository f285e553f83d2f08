using System.Text.Json;
using Firecrawl.Client.Benchmarks;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrawl.Client.Tests;

/// <summary>Alone, after the parallel tests: the bulk paths count every thread's bytes.</summary>
[CollectionDefinition(nameof(AllocationBudgetTests), DisableParallelization = true)]
public sealed class AllocationBudgetsRunAlone;

/// <summary>
/// Pins the bytes the SDK adds per call, over a hand-written HttpClient call (the floor), on each path users take. In
/// memory every await of a single call completes synchronously on this thread, so the per-thread allocation counter
/// around a warmed-up call is exact, not a timing: the figure is the same on every run and the test cannot flake (a bulk
/// cancel's figure is read off the process's counter, below). Each path's budget is checked into <c>allocation-budgets.json</c>; raising
/// one is a deliberate, reviewed edit there. Debug builds keep async state machines on the heap, so their byte counts
/// say nothing about what ships: the project compiles this file only in Release, and turns tiered compilation off so a
/// call runs the same fully optimized code however loaded the machine is.
/// </summary>
[Collection(nameof(AllocationBudgetTests))]
public sealed class AllocationBudgetTests
{
    /// <summary>A key of the real form, made at run time: a committed one would read as a leaked secret.</summary>
    private static readonly string Key = "fc-" + Guid.NewGuid().ToString("N");
    private static readonly Uri Cloud = FirecrawlClientOptions.DefaultBaseAddress;

    /// <summary>The budgets of this target framework, from the checked-in file.</summary>
    private static readonly Dictionary<string, long> Budgets = LoadBudgets();

    public static TheoryData<string> Paths => [.. Measurements.Keys];

    private static readonly Dictionary<string, Func<(long Sdk, long Floor)>> Measurements = new()
    {
        ["plain client, cloud address"] = () => Single(new FirecrawlClientOptions { ApiKey = Key }),
        ["plain client, loopback address"] = () => Single(new FirecrawlClientOptions { ApiKey = Key, BaseAddress = new Uri("http://127.0.0.1:3002/") }),
        ["plain client, custom gate"] = () => Single(new FirecrawlClientOptions { ApiKey = Key, RateLimitGate = new PassGate() }),
        ["DI client"] = DependencyInjected,
        ["404 error"] = NotFound,
        ["bulk cancel, per job"] = () => Bulk(streaming: false),
        ["streaming bulk cancel, per job"] = () => Bulk(streaming: true),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void ACall_AllocatesNoMoreOverTheFloorThanItsCheckedInBudget(string path)
    {
        (long sdk, long floor) = Measurements[path]();
        long over = sdk - floor;
        long budget = Budgets[path];

        Assert.True(
            over <= budget,
            $"{path}: the SDK allocates {sdk} bytes per call, the floor {floor}: {over} over the floor, more than the {budget}-byte budget in allocation-budgets.json ({Framework}).");
    }

    [Fact]
    public void EveryMeasuredPathHasABudget_AndEveryBudgetAMeasuredPath()
    {
        Assert.Equal(Measurements.Keys.Order(StringComparer.Ordinal), Budgets.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The runtime the test runs on: the net8.0 build runs on .NET 8, the net10.0 build on .NET 10.</summary>
    private static string Framework => Environment.Version.Major == 8 ? "net8.0" : "net10.0";

    private static Dictionary<string, long> LoadBudgets()
    {
        using Stream file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Performance", "allocation-budgets.json"));
        using JsonDocument budgets = JsonDocument.Parse(file);
        return budgets.RootElement.GetProperty(Framework).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    private static (long, long) Single(FirecrawlClientOptions options)
    {
        using var transport = new CannedHandler();
        using var floor = new FloorClient(options.BaseAddress ?? Cloud, Key, transport);
        using var sdk = new FirecrawlClient(options, transport);
        return (ExactBytes.PerCall(() => sdk.CancelBatchScrapeAsync(Stub.JobId)), ExactBytes.PerCall(() => floor.CancelBatchScrapeAsync(Stub.JobId)));
    }

    private static (long, long) DependencyInjected()
    {
        using var transport = new CannedHandler();
        using var floor = new FloorClient(Cloud, Key, transport);
        var services = new ServiceCollection();
        services.AddFirecrawlClient(o => o.ApiKey = Key).ConfigurePrimaryHttpMessageHandler(() => transport);
        using ServiceProvider provider = services.BuildServiceProvider();
        FirecrawlClient sdk = provider.GetRequiredService<FirecrawlClient>();
        return (ExactBytes.PerCall(() => sdk.CancelBatchScrapeAsync(Stub.JobId)), ExactBytes.PerCall(() => floor.CancelBatchScrapeAsync(Stub.JobId)));
    }

    /// <summary>
    /// With a first-chance exception handler attached throughout, as any process has once something watches exceptions
    /// (.NET 9 and later attach one for the runtime's own exception count as soon as a meter listener asks for it). Each
    /// throw then allocates its event's arguments, so without a handler of its own the figure depended on which tests had
    /// run before.
    /// </summary>
    private static (long, long) NotFound()
    {
        using var transport = new CannedHandler { AnswerNotFound = true };
        using var floor = new FloorClient(Cloud, Key, transport);
        using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = Key }, transport);
        AppDomain.CurrentDomain.FirstChanceException += Watch;
        try
        {
            return (ExactBytes.PerCall(() => sdk.CancelBatchScrapeAsync(Stub.JobId), faults: true), ExactBytes.PerCall(() => floor.CancelBatchScrapeAsync(Stub.JobId), faults: true));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Watch;
        }

        static void Watch(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
        }
    }

    /// <summary>
    /// What one more job of a bulk cancel costs: a run of 1,024 jobs less a run of 512, over 512, against one floor call.
    /// The run's reader resumes on the thread pool (as it ships), so these count the whole process's bytes, with this
    /// class run alone; anything else the process allocates meanwhile only adds, so the least of six rounds is the run's
    /// own figure.
    /// </summary>
    private static (long, long) Bulk(bool streaming)
    {
        using var transport = new CannedHandler();
        using var floor = new FloorClient(Cloud, Key, transport);
        using var sdk = new FirecrawlClient(new FirecrawlClientOptions { ApiKey = Key }, transport);
        string[] small = [.. Enumerable.Range(0, 512).Select(i => $"019c0ed5-126b-7581-9a3e-{i:D12}")];
        string[] large = [.. Enumerable.Range(0, 1024).Select(i => $"019c0ed5-126b-7581-9a3e-{i:D12}")];
        Func<string[], Task> run = streaming
            ? async ids =>
            {
                // Read as each job ends, in place: a reader that keeps up never leaves a worker waiting for room.
                await foreach (JobCancellation _ in sdk.CancelJobsStreamingAsync(FirecrawlJobKind.BatchScrape, ids).ConfigureAwait(false))
                {
                }
            }
            : async ids => await sdk.CancelBatchScrapesAsync(ids);

        long floorBytes = ExactBytes.PerCall(() => floor.CancelBatchScrapeAsync(Stub.JobId));
        long smallBytes = long.MaxValue, largeBytes = long.MaxValue;
        for (int round = 0; round < 6; round++)
        {
            smallBytes = Math.Min(smallBytes, AllThreads(() => run(small)));
            largeBytes = Math.Min(largeBytes, AllThreads(() => run(large)));
        }

        return ((largeBytes - smallBytes) / 512, floorBytes);
    }

    /// <summary>A gate of the user's that lets everything through at once.</summary>
    private sealed class PassGate : FirecrawlRateLimitGate
    {
        public override ValueTask<FirecrawlGateEntry> EnterAsync(FirecrawlGatePartition partition, CancellationToken cancellationToken) => new(FirecrawlGateEntry.Go);

        public override ValueTask LeaveAsync(FirecrawlGatePartition partition, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, CancellationToken cancellationToken) => default;

        public override TimeSpan PeekWait(FirecrawlGatePartition partition) => TimeSpan.Zero;
    }

    private static long AllThreads(Func<Task> work)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        work().GetAwaiter().GetResult();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
