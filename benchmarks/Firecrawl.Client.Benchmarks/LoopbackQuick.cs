using System.Diagnostics;
using Firecrawl.Client.Testing;

namespace Firecrawl.Client.Benchmarks;

/// <summary>
/// Interleaved loopback throughput (<c>--loopback [url crawl-id]</c>): the floor and the SDK take turns, round after
/// round, sending cancels at concurrency 32, to the emulator in this process or, given a URL and a crawl id, to a
/// server in another process (<c>firecrawl emulator</c>, pinned to its own core). Each round's SDK/floor throughput
/// ratio is printed with the median and the spread, because on a shared two-core machine single numbers move by tens
/// of percent.
/// </summary>
internal static class LoopbackQuick
{
    private static readonly string Key = FirecrawlEmulator.NewApiKey();

    public static void Run(string[] args, int rounds = 11, int callsPerRound = 4_000, int concurrency = 32)
    {
        int at = Array.IndexOf(args, "--loopback");
        bool external = args.Length > at + 2 && args[at + 1].StartsWith("http", StringComparison.Ordinal);
        FirecrawlEmulator? emulator = null;
        if (!external)
        {
            var options = new FirecrawlEmulatorOptions { RecordRequests = false };
            options.ApiKeys.Add(Key);
            emulator = FirecrawlEmulator.StartAsync(options).GetAwaiter().GetResult();
        }

        try
        {
            Uri baseAddress = external ? new Uri(args[at + 1]) : emulator!.BaseAddress;
            string apiKey = external ? string.Empty : Key;

            // The external server is keyless; the in-process one checks the key, as the real server in auth mode.
            string jobId = external ? args[at + 2] : emulator!.CreateBatchScrapeJob();
            Console.WriteLine(external ? $"server: {baseAddress} (another process)" : "server: the emulator in this process");
            using var floor = new FloorClient(baseAddress, apiKey, new SocketsHttpHandler(), disposeTransport: true);
            using var sdk = new FirecrawlClient(new FirecrawlClientOptions { BaseAddress = baseAddress, ApiKey = external ? null : Key });

            // Warm both paths (JIT, tiering, connections) before anything counts.
            Measure(() => floor.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency);
            Measure(() => sdk.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency);

            var ratios = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so a drift in machine load does not favour one side.
                (double f, double s) = round % 2 == 0
                    ? (Measure(() => floor.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency), Measure(() => sdk.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency))
                    : Swap(Measure(() => sdk.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency), Measure(() => floor.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency));
                double ratio = s / f;
                ratios.Add(ratio);
                Console.WriteLine($"round {round + 1,2}: floor {f,8:0} calls/s   sdk {s,8:0} calls/s   sdk/floor {ratio:0.000}");
            }

            ratios.Sort();
            Console.WriteLine($"sdk/floor throughput at concurrency {concurrency}: median {ratios[ratios.Count / 2]:0.000}, min {ratios[0]:0.000}, max {ratios[^1]:0.000} ({rounds} rounds of {callsPerRound} calls)");
            if (external)
            {
                // With the server in another process, this process's allocations are the client's alone.
                Console.WriteLine($"bytes per call (client only): floor {BytesPerCall(() => floor.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency):0}, sdk {BytesPerCall(() => sdk.CancelBatchScrapeAsync(jobId), callsPerRound, concurrency):0}");
            }
        }
        finally
        {
            emulator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static (double, double) Swap(double sdk, double floor) => (floor, sdk);

    private static double BytesPerCall<T>(Func<Task<T>> call, int calls, int concurrency)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Measure(call, calls, concurrency);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
    }

    private static double Measure<T>(Func<Task<T>> call, int calls, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        Parallel.ForEachAsync(
            Enumerable.Range(0, calls),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (_, _) => await call().ConfigureAwait(false)).GetAwaiter().GetResult();
        return calls / clock.Elapsed.TotalSeconds;
    }
}
