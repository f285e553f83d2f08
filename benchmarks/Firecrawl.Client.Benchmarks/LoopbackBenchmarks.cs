using BenchmarkDotNet.Attributes;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// Cancels over real loopback sockets against the emulator (Kestrel, in this process, recording off), at
/// concurrency 1 and 32. Each invocation runs <see cref="Operations"/> cancels, so the mean divided by it is the
/// time per cancel and its inverse is throughput. The server's cost is the same for both variants.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PgoOnConfig))]
public class LoopbackBenchmarks
{
    private const int Operations = 256;
    private static readonly string Key = FirecrawlEmulator.NewApiKey();

    private FirecrawlEmulator _emulator = null!;
    private FloorClient _floor = null!;
    private FirecrawlClient _sdk = null!;
    private string _jobId = null!;

    [Params(1, 32)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new FirecrawlEmulatorOptions { RecordRequests = false };
        options.ApiKeys.Add(Key);
        _emulator = FirecrawlEmulator.StartAsync(options).GetAwaiter().GetResult();
        _jobId = _emulator.CreateBatchScrapeJob();
        _floor = new FloorClient(_emulator.BaseAddress, Key, new SocketsHttpHandler(), disposeTransport: true);
        _sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = _emulator.BaseAddress, ApiKey = Key });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sdk.Dispose();
        _floor.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Floor over loopback")]
    public Task Floor() => Run(id => _floor.CancelBatchScrapeAsync(id));

    [Benchmark(OperationsPerInvoke = Operations, Description = "Firecrawl.Client over loopback")]
    public Task Sdk() => Run(id => _sdk.CancelBatchScrapeAsync(id));

    private Task Run<T>(Func<string, Task<T>> cancel) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, Operations),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (_, _) => await cancel(_jobId).ConfigureAwait(false));
}
